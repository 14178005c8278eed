package org.sparkbaselines.env.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvSpec;
import org.sparkbaselines.env.EnvWrapper;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.HasState;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.env.TimeLimit;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/** Spaces, resets, action checks, rendering, registry and the allocation-free step of the classic-control envs. */
class ClassicControlEnvsTest {

    static Stream<Named<Supplier<ClassicControlEnv>>> envs() {
        return Stream.of(
                Named.of("CartPole", CartPoleEnv::new),
                Named.of("Pendulum", PendulumEnv::new),
                Named.of("MountainCar", MountainCarEnv::new),
                Named.of("MountainCarContinuous", ContinuousMountainCarEnv::new),
                Named.of("Acrobot", AcrobotEnv::new));
    }

    static Stream<Named<Supplier<ClassicControlEnv>>> discreteEnvs() {
        return envs().filter(e -> e.getPayload().get().actionSpace() instanceof Discrete);
    }

    // ---- spaces ----

    @Test
    void cartPoleSpacesAreGymnasiums() {
        CartPoleEnv env = new CartPoleEnv();
        assertEquals(new Discrete(2), env.actionSpace());
        float thetaLimit = (float) (2 * 12 * 2 * Math.PI / 360);
        assertEquals(0.418879f, thetaLimit, 1e-6f);
        assertEquals(new Box(new float[] {-4.8f, -Float.MAX_VALUE, -thetaLimit, -Float.MAX_VALUE},
                new float[] {4.8f, Float.MAX_VALUE, thetaLimit, Float.MAX_VALUE}), env.observationSpace());
    }

    @Test
    void pendulumSpacesAreGymnasiums() {
        PendulumEnv env = new PendulumEnv();
        assertEquals(new Box(-2f, 2f, 1), env.actionSpace());
        assertEquals(new Box(new float[] {-1, -1, -8}, new float[] {1, 1, 8}), env.observationSpace());
        assertEquals(10.0, env.gravity());
    }

    @Test
    void mountainCarSpacesAreGymnasiums() {
        Box observations = new Box(new float[] {-1.2f, -0.07f}, new float[] {0.6f, 0.07f});
        assertEquals(new Discrete(3), new MountainCarEnv().actionSpace());
        assertEquals(observations, new MountainCarEnv().observationSpace());
        assertEquals(new Box(-1f, 1f, 1), new ContinuousMountainCarEnv().actionSpace());
        assertEquals(observations, new ContinuousMountainCarEnv().observationSpace());
    }

    @Test
    void acrobotSpacesAreGymnasiums() {
        AcrobotEnv env = new AcrobotEnv();
        assertEquals(new Discrete(3), env.actionSpace());
        float v1 = (float) (4 * Math.PI);
        float v2 = (float) (9 * Math.PI);
        assertEquals(new Box(new float[] {-1, -1, -1, -1, -v1, -v2}, new float[] {1, 1, 1, 1, v1, v2}), env.observationSpace());
    }

    // ---- reset ----

    @ParameterizedTest
    @MethodSource("envs")
    void theSameSeedGivesTheSameEpisode(Supplier<ClassicControlEnv> make) {
        Env first = make.get();
        Env second = make.get();
        float[] action = first.actionSpace().sample();

        assertArrayEquals(first.reset(42L).clone(), second.reset(42L).clone());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(first.step(action).obs().clone(), second.step(action).obs().clone());
        }
        float[] seeded = first.reset(7L).clone();
        assertNotEquals(Arrays.toString(seeded), Arrays.toString(first.reset(8L)), "another seed, another start");
        assertNotEquals(Arrays.toString(first.reset(7L).clone()), Arrays.toString(first.reset(null)),
                "reset(null) continues the generator");
    }

    @Test
    void resetsDrawFromGymnasiumsDistributions() {
        CartPoleEnv cartPole = new CartPoleEnv();
        PendulumEnv pendulum = new PendulumEnv();
        MountainCarEnv mountainCar = new MountainCarEnv();
        ContinuousMountainCarEnv continuous = new ContinuousMountainCarEnv();
        AcrobotEnv acrobot = new AcrobotEnv();
        for (long seed = 0; seed < 200; seed++) {
            assertObservationValid(cartPole, cartPole.reset(seed));
            assertWithin(cartPole.getState(), -0.05, 0.05);
            assertObservationValid(pendulum, pendulum.reset(seed));
            double[] p = pendulum.getState();
            assertTrue(Math.abs(p[0]) <= Math.PI && Math.abs(p[1]) <= 1, Arrays.toString(p));
            for (MountainCarBase car : List.of(mountainCar, continuous)) {
                assertObservationValid(car, car.reset(seed));
                double[] s = car.getState();
                assertTrue(s[0] >= -0.6 && s[0] < -0.4 && s[1] == 0, Arrays.toString(s));
            }
            assertObservationValid(acrobot, acrobot.reset(seed));
            double[] a = acrobot.getState();
            assertWithin(a, -0.1, 0.1);
            for (double v : a) {
                assertEquals((double) (float) v, v, "Acrobot draws its initial state as float32");
            }
        }
    }

    private static void assertObservationValid(Env env, float[] obs) {
        assertTrue(env.observationSpace().contains(obs), Arrays.toString(obs) + " outside " + env.observationSpace());
    }

    private static void assertWithin(double[] values, double low, double high) {
        for (double v : values) {
            assertTrue(v >= low && v <= high, Arrays.toString(values));
        }
    }

    // ---- state ----

    @ParameterizedTest
    @MethodSource("envs")
    void setStateReplacesTheStateAndReturnsItsObservation(Supplier<ClassicControlEnv> make) {
        ClassicControlEnv env = make.get();
        env.reset(3L);
        double[] state = env.getState();
        state[0] += 0.01;

        float[] obs = env.setState(state).clone();

        assertArrayEquals(state, env.getState());
        assertArrayEquals(obs, env.setState(env.getState()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.setState(new double[state.length + 1]));
        assertTrue(e.getMessage().startsWith(env.getClass().getSimpleName() + ": a state is " + state.length + " values"), e.getMessage());
    }

    // ---- actions ----

    @ParameterizedTest
    @MethodSource("discreteEnvs")
    void invalidDiscreteActionsAreRefusedNamingEnvAndAction(Supplier<ClassicControlEnv> make) {
        ClassicControlEnv env = make.get();
        env.reset(0L);
        int n = ((Discrete) env.actionSpace()).n();
        for (float[] action : List.of(new float[] {n}, new float[] {-1}, new float[] {0.5f}, new float[] {Float.NaN}, new float[] {0, 0})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.step(action));
            assertTrue(e.getMessage().startsWith(env.getClass().getSimpleName() + ": action " + Arrays.toString(action)), e.getMessage());
        }
        assertObservationValid(env, env.step(new float[] {n - 1}).obs());
    }

    @Test
    void invalidBoxActionsAreRefusedNamingEnvAndAction() {
        for (ClassicControlEnv env : List.of(new PendulumEnv(), new ContinuousMountainCarEnv())) {
            env.reset(0L);
            for (float[] action : List.of(new float[] {Float.NaN}, new float[] {0, 0}, new float[0])) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.step(action));
                assertTrue(e.getMessage().startsWith(env.getClass().getSimpleName() + ": action " + Arrays.toString(action)), e.getMessage());
            }
        }
    }

    @Test
    void pendulumClipsTheTorque() {
        for (float[] pair : new float[][] {{5f, 2f}, {-7f, -2f}, {Float.POSITIVE_INFINITY, 2f}}) {
            StepResult outside = steppedFrom(new PendulumEnv(), new double[] {1.0, 0.5}, pair[0]);
            StepResult clipped = steppedFrom(new PendulumEnv(), new double[] {1.0, 0.5}, pair[1]);
            assertArrayEquals(clipped.obs(), outside.obs());
            assertEquals(clipped.reward(), outside.reward(), "the reward charges the clipped torque");
        }
    }

    @Test
    void continuousMountainCarClipsTheForceButChargesTheActionAsGiven() {
        StepResult outside = steppedFrom(new ContinuousMountainCarEnv(), new double[] {-0.5, 0.01}, 1.5f);
        StepResult clipped = steppedFrom(new ContinuousMountainCarEnv(), new double[] {-0.5, 0.01}, 1f);

        assertArrayEquals(clipped.obs(), outside.obs());
        assertEquals(-0.1, clipped.reward(), 1e-15);
        assertEquals(-0.225, outside.reward(), 1e-15);
    }

    private static StepResult steppedFrom(ClassicControlEnv env, double[] state, float action) {
        env.reset(0L);
        env.setState(state);
        return env.step(new float[] {action});
    }

    // ---- dynamics details ----

    @Test
    void cartPoleRewardsZeroAfterTermination() {
        CartPoleEnv env = new CartPoleEnv();
        env.reset(0L);
        env.setState(new double[] {2.39, 1.0, 0, 0});

        StepResult fell = env.step(new float[] {1});
        assertTrue(fell.terminated());
        assertEquals(1.0, fell.reward(), "the terminal step itself is rewarded");
        for (int i = 0; i < 3; i++) {
            StepResult beyond = env.step(new float[] {1});
            assertTrue(beyond.terminated());
            assertEquals(0.0, beyond.reward());
        }
        env.reset(0L);
        assertEquals(1.0, env.step(new float[] {1}).reward(), "reset starts counting afresh");
    }

    @Test
    void pendulumNormalizesTheAngleWithPythonsFlooredModulo() {
        assertEquals(0.1, PendulumEnv.angleNormalize(0.1 + 4 * Math.PI), 1e-12);
        assertEquals(-0.1, PendulumEnv.angleNormalize(-0.1 - 6 * Math.PI), 1e-12);
        assertEquals(-Math.PI, PendulumEnv.angleNormalize(Math.PI));
        assertEquals(-3.0, PendulumEnv.angleNormalize(-3.0), 1e-15);
    }

    @Test
    void pendulumCapsTheAngularVelocity() {
        StepResult r = steppedFrom(new PendulumEnv(), new double[] {Math.PI / 2, 7.99}, 2f);
        assertEquals(8f, r.obs()[2]);
        assertFalse(r.terminated());
    }

    @Test
    void mountainCarStopsAtTheLeftWall() {
        for (ClassicControlEnv car : List.<ClassicControlEnv>of(new MountainCarEnv(), new ContinuousMountainCarEnv())) {
            StepResult r = steppedFrom(car, new double[] {-1.19, -0.05}, 0f);
            assertArrayEquals(new float[] {-1.2f, 0f}, r.obs(), car.getClass().getSimpleName());
        }
    }

    @Test
    void continuousMountainCarStoresItsStateAsFloat32AfterAStep() {
        ContinuousMountainCarEnv env = new ContinuousMountainCarEnv();
        env.reset(0L);
        double[] afterReset = env.getState();
        assertNotEquals((double) (float) afterReset[0], afterReset[0], "reset keeps float64, as the original");

        env.step(new float[] {0.3f});

        for (double v : env.getState()) {
            assertEquals((double) (float) v, v);
        }
    }

    @Test
    void goalVelocityKeywordsChangeTermination() {
        double[] nearFlag = {0.49, 0.05};
        assertTrue(steppedFrom((ClassicControlEnv) Envs.make("MountainCar-v0").unwrapped(), nearFlag, 2f).terminated());
        assertFalse(steppedFrom((ClassicControlEnv) Envs.make("MountainCar-v0", Map.of("goal_velocity", 1)).unwrapped(),
                nearFlag, 2f).terminated());

        double[] nearContinuousFlag = {0.44, 0.05};
        StepResult reached = steppedFrom((ClassicControlEnv) Envs.make("MountainCarContinuous-v0").unwrapped(), nearContinuousFlag, 0.5f);
        assertTrue(reached.terminated());
        assertEquals(100.0 - 0.025, reached.reward(), 1e-12);
        assertFalse(steppedFrom((ClassicControlEnv) Envs.make("MountainCarContinuous-v0", Map.of("goal_velocity", 0.5)).unwrapped(),
                nearContinuousFlag, 0.5f).terminated());
    }

    @Test
    void acrobotTerminatesWithTheTipAboveTheLineAndBoundsItsState() {
        AcrobotEnv env = new AcrobotEnv();
        StepResult up = steppedFrom(env, new double[] {Math.PI - 0.01, 0, 0, 0}, 1f);
        assertTrue(up.terminated());
        assertEquals(0.0, up.reward());

        StepResult spinning = steppedFrom(env, new double[] {0, 0, 0, 60}, 1f);
        double[] s = env.getState();
        assertArrayEquals(new double[] {-4 * Math.PI, 9 * Math.PI}, new double[] {s[2], s[3]}, "velocities bounded");
        assertTrue(Math.abs(s[0]) <= Math.PI && Math.abs(s[1]) <= Math.PI, "angles wrapped: " + Arrays.toString(s));
        assertEquals(-1.0, spinning.reward());
    }

    // ---- rendering ----

    @ParameterizedTest
    @MethodSource("envs")
    void renderDrawsAFrameOfGymnasiumsSize(Supplier<ClassicControlEnv> make) {
        ClassicControlEnv env = make.get();
        assertEquals(List.of("rgb_array"), env.renderModes());
        env.reset(5L);
        RgbImage start = env.render();
        int expectedWidth = env instanceof CartPoleEnv || env instanceof MountainCarBase ? 600 : 500;
        int expectedHeight = env instanceof CartPoleEnv || env instanceof MountainCarBase ? 400 : 500;
        assertEquals(expectedWidth, start.width());
        assertEquals(expectedHeight, start.height());
        assertTrue(colours(start).size() > 2, "colours: " + colours(start).size());
        assertTrue(colours(start).contains(0xffffff), "white background");

        double[] moved = env.getState();
        moved[0] += 0.3;
        env.setState(moved);
        assertFalse(Arrays.equals(start.rgb(), env.render().rgb()), "a different state is a different picture");
    }

    private static Set<Integer> colours(RgbImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                colours.add(image.pixel(x, y));
            }
        }
        return colours;
    }

    @Test
    void cartPoleIsDrawnWithTheCartAtItsPositionAndYUp() {
        CartPoleEnv env = new CartPoleEnv();
        env.reset(0L);
        env.setState(new double[] {0, 0, 0, 0});
        RgbImage frame = env.render();
        // The cart's centre is at x = 300 and 100 px above the bottom edge (the image's row 300).
        assertEquals(0x000000, frame.pixel(300 - 20, 300 + 10));
        assertEquals(0xffffff, frame.pixel(300 - 20, 100 - 10), "nothing near the top mirrored");
    }

    // ---- registry ----

    @ParameterizedTest
    @CsvSource({
        "CartPole-v1, 500, 475.0",
        "CartPole-v0, 200, 195.0",
        "Pendulum-v1, 200, ",
        "MountainCar-v0, 200, -110.0",
        "MountainCarContinuous-v0, 999, 90.0",
        "Acrobot-v1, 500, -100.0",
    })
    void registeredEnvsTruncateAtTheirTimeLimitAndNotBefore(String id, int maxSteps, Double threshold) {
        EnvSpec spec = Envs.spec(id);
        assertEquals(maxSteps, spec.maxEpisodeSteps());
        assertEquals(threshold, spec.rewardThreshold());

        Env env = Envs.make(id);
        assertEquals(maxSteps, EnvWrapper.find(env, TimeLimit.class).maxEpisodeSteps());
        env.reset(0L);
        HasState unwrapped = (HasState) env.unwrapped();
        double[] start = unwrapped.getState();
        float[] action = new float[env.actionSpace().flatDim()];
        for (int step = 1; step <= maxSteps; step++) {
            StepResult r = env.step(action);
            assertFalse(r.terminated(), id + " step " + step);
            assertEquals(step == maxSteps, r.truncated(), id + " step " + step);
            unwrapped.setState(start); // keeps the episode from ending on its own
        }
        assertEquals(id, env.specId());
    }

    @Test
    void keywordsAreTypedAndUnknownOnesRefused() {
        assertEquals(9.81, ((PendulumEnv) Envs.make("Pendulum-v1", Map.of("g", 9.81)).unwrapped()).gravity());
        for (String id : List.of("CartPole-v1", "CartPole-v0", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Envs.make(id, Map.of("gravity", 1)));
            assertTrue(e.getMessage().startsWith(id + ": unknown argument 'gravity'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Envs.make("MountainCar-v0", Map.of("goal_velocity", 0.5)));
    }

    // ---- performance ----

    @Test
    void cartPoleSteppingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();
        Map<String, Env> envs = Map.of("CartPoleEnv", new CartPoleEnv(), "Envs.make(\"CartPole-v1\")", Envs.make("CartPole-v1"));
        envs.forEach((name, env) -> {
            play(env, 300_000);
            long before = threads.getThreadAllocatedBytes(thread);
            long episodes = play(env, 100_000);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(episodes > 100, "the loop must cross episode ends, got " + episodes);
            assertTrue(allocated < 1024, name + " allocated " + allocated + " bytes in 100k steps");
        });
    }

    /** Steps with alternating pushes, resetting at episode ends; returns the episodes finished. */
    private static long play(Env env, int steps) {
        float[] action = new float[1];
        env.reset(1L);
        long episodes = 0;
        for (int i = 0; i < steps; i++) {
            action[0] = (i / 3) & 1;
            if (env.step(action).done()) {
                env.reset();
                episodes++;
            }
        }
        return episodes;
    }
}
