package org.sparkbaselines.algos.her;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.buffers.ReplayBuffer;
import org.sparkbaselines.env.GoalEnv;
import org.sparkbaselines.env.testenvs.BitFlippingEnv;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.spaces.DictSpace;

/** Hindsight relabelling by hand for each strategy; HER on the bit-flipping env: save, load, learn. */
class HERTest {
    private static final BitFlippingEnv ENV = new BitFlippingEnv(3, false, null, false);
    private static final DictSpace SPACE = ENV.observationSpace();
    private static final float[] GOAL = {1, 1, 1};

    /** A flat Dict observation of state {@code bits} with the env's desired goal. */
    private static float[] obs(float... bits) {
        float[] o = new float[SPACE.flatDim()];
        SPACE.put(o, GoalEnv.OBSERVATION, bits);
        SPACE.put(o, GoalEnv.ACHIEVED_GOAL, bits);
        SPACE.put(o, GoalEnv.DESIRED_GOAL, GOAL);
        return o;
    }

    private static final float[][] STATES = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {1, 0, 0}};

    /** Runs one 3-step episode s0 -> s1 -> s2 -> s3 (truncated at the end) through the wrapper; the buffer's rows, oldest first. */
    private static Map<String, NdArray> episode(HindsightReplay replay) {
        ReplayBuffer buffer = new ReplayBuffer(100, SPACE.flatDim(), 1, false);
        for (int t = 0; t < 3; t++) {
            replay.add(buffer, obs(STATES[t]), new float[] {t}, -1f, obs(STATES[t + 1]), false, t == 2);
            assertEquals(t == 2 ? buffer.size() : 0, buffer.size(), "nothing is stored before the episode ends");
        }
        return buffer.state();
    }

    private static float[] row(NdArray array, int r) {
        int cols = array.shape()[1];
        float[] all = array.toFloatArray();
        return java.util.Arrays.copyOfRange(all, r * cols, (r + 1) * cols);
    }

    @Test
    void finalRelabelsEveryTransitionWithTheLastObservationsAchievedGoal() {
        Map<String, NdArray> rows = episode(new HindsightReplay(ENV, 2, HindsightReplay.GoalSelectionStrategy.FINAL, 0));
        NdArray observations = rows.get("observations");
        assertEquals(9, observations.shape()[0], "3 transitions and 2 relabelled copies of each");
        float[] rewards = rows.get("rewards").toFloatArray();
        boolean[] truncated = rows.get("truncated").toBooleanArray();
        // Rows: t0, t0', t0', t1, t1', t1', t2, t2', t2'; the final goal is s2, the achieved goal of the last transition's observation.
        for (int t = 0; t < 3; t++) {
            int original = 3 * t;
            assertArrayEquals(obs(STATES[t]), row(observations, original));
            assertEquals(-1f, rewards[original]);
            assertEquals(t == 2, truncated[original]);
            for (int k = 1; k <= 2; k++) {
                float[] relabelled = row(observations, original + k);
                assertArrayEquals(STATES[2], SPACE.get(relabelled, GoalEnv.DESIRED_GOAL));
                assertArrayEquals(STATES[t], SPACE.get(relabelled, GoalEnv.ACHIEVED_GOAL));
                assertArrayEquals(STATES[2], SPACE.get(row(rows.get("next_observations"), original + k), GoalEnv.DESIRED_GOAL));
                // Reward 0 exactly where the next state reaches the new goal (t1 -> s2).
                assertEquals(t == 1 ? 0f : -1f, rewards[original + k], "t" + t);
                assertFalse(truncated[original + k] || rows.get("terminated").toBooleanArray()[original + k]);
            }
        }
    }

    @Test
    void futureDrawsGoalsFromLaterStepsAndSkipsTheLastOne() {
        Map<String, NdArray> rows = episode(new HindsightReplay(ENV, 2, HindsightReplay.GoalSelectionStrategy.FUTURE, 3));
        NdArray observations = rows.get("observations");
        assertEquals(7, observations.shape()[0], "the last transition has no future: 3 + 2 x 2");
        for (int k = 1; k <= 2; k++) {
            float[] goal = SPACE.get(row(observations, k), GoalEnv.DESIRED_GOAL);
            assertTrue(java.util.Arrays.equals(goal, STATES[1]) || java.util.Arrays.equals(goal, STATES[2]), "t0 gets s1 or s2");
            assertArrayEquals(STATES[2], SPACE.get(row(observations, 3 + k), GoalEnv.DESIRED_GOAL), "t1 gets s2");
        }
        assertArrayEquals(obs(STATES[2]), row(observations, 6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"episode", "random"})
    void theOtherStrategiesRelabelEveryTransition(String strategy) {
        Map<String, NdArray> rows = episode(new HindsightReplay(ENV, 3, HindsightReplay.GoalSelectionStrategy.of(strategy), 5));
        assertEquals(12, rows.get("observations").shape()[0]);
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException strategy = assertThrows(IllegalArgumentException.class, () -> HindsightReplay.GoalSelectionStrategy.of("past"));
        assertTrue(strategy.getMessage().contains("unknown goal_selection_strategy 'past'"), strategy.getMessage());
        IllegalArgumentException onPolicy = assertThrows(IllegalArgumentException.class,
                () -> new HER("MlpPolicy", ENV, "ppo2", Map.of(), AlgorithmOptions.DEFAULT));
        assertTrue(onPolicy.getMessage().contains("HER wraps an off-policy algorithm"), onPolicy.getMessage());
    }

    @Test
    void aSavedHerModelLoadsAndPredictsIdentically(@TempDir Path dir) throws Exception {
        HER her = new HER("MlpPolicy", new BitFlippingEnv(4, false, null, false), "dqn", Map.of("learning_starts", 50, "n_sampled_goal", 2),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        her.learn(300);
        assertTrue(her.model().replayBuffer().size() > 300, "relabelled transitions were added: " + her.model().replayBuffer().size());
        Path saved = her.save(dir.resolve("her"));
        assertEquals(Map.of("n_sampled_goal", 2, "goal_selection_strategy", "future"), org.sparkbaselines.algos.BaseAlgorithm.annotations(saved).get("her"));
        HER loaded = HER.load(saved, new BitFlippingEnv(4, false, null, false));
        float[][] obs = {new float[12], new float[12]};
        obs[1][0] = 1;
        assertArrayEquals(her.predict(obs, true)[1], loaded.predict(obs, true)[1]);
    }

    /** DQN with HER ('future', 4 goals) learns to flip 8 bits in 10k steps (about 6 s here); seed 0 chosen before the first run. */
    @Test
    @Tag("slow")
    void dqnWithHerSolvesBitFlipping() {
        int bits = 8;
        BitFlippingEnv env = new BitFlippingEnv(bits, false, null, false);
        HER her = new HER("MlpPolicy", env, "dqn", Map.of("learning_starts", 1000, "exploration_fraction", 0.2, "exploration_final_eps", 0.02,
                "buffer_size", 100_000, "learning_rate", 1e-3, "batch_size", 128, "gamma", 0.95), AlgorithmOptions.DEFAULT.withSeed(0L)
                .withPolicyKwargs(Map.of("layers", List.of(256))));
        her.learn(10_000);
        BitFlippingEnv evalEnv = new BitFlippingEnv(bits, false, null, false);
        int successes = 0;
        for (int episode = 0; episode < 50; episode++) {
            float[] o = evalEnv.reset(1000L + episode).clone();
            for (int t = 0; t < bits; t++) {
                var step = evalEnv.step(her.predict(new float[][] {o}, true)[0]);
                o = step.obs().clone();
                if (step.terminated()) {
                    successes++;
                    break;
                }
            }
        }
        assertTrue(successes >= 45, successes + " of 50 episodes reached the goal");
    }
}
