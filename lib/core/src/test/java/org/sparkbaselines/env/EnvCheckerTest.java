package org.sparkbaselines.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.testenvs.BitFlippingEnv;
import org.sparkbaselines.env.testenvs.IdentityEnv;
import org.sparkbaselines.env.testenvs.IdentityEnvBox;
import org.sparkbaselines.env.testenvs.IdentityEnvMultiBinary;
import org.sparkbaselines.env.testenvs.IdentityEnvMultiDiscrete;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;

class EnvCheckerTest {

    private static String errorOf(Env env) {
        return assertThrows(EnvCheckException.class, () -> EnvChecker.check(env, true)).getMessage();
    }

    private static void assertWarned(List<String> warnings, String fragment) {
        assertTrue(warnings.stream().anyMatch(w -> w.contains(fragment)), () -> "no warning containing '" + fragment + "' in " + warnings);
    }

    @Test
    void identityEnvsPassWithoutWarnings() {
        for (Env env : List.of(new IdentityEnv(4, 10), new IdentityEnvBox(), new IdentityEnvMultiDiscrete(3, 10),
                new IdentityEnvMultiBinary(3, 10))) {
            assertEquals(List.of(), EnvChecker.check(env, true), env.getClass().getSimpleName());
        }
    }

    @Test
    void bitFlippingPassesInEveryVariantWithoutWarnings() {
        for (Env env : List.of(new BitFlippingEnv(), new BitFlippingEnv(4, true, null, false),
                new BitFlippingEnv(4, false, 8, true), new FlattenDictObservation(new BitFlippingEnv()),
                Envs.make("BitFlipping-v0"))) {
            assertEquals(List.of(), EnvChecker.check(env, true), env.toString());
        }
    }

    @Test
    void validFixturesPass() {
        assertEquals(List.of(), EnvChecker.check(new BrokenEnvs.ValidEnv(), true));
        assertEquals(List.of(), EnvChecker.check(new BrokenEnvs.ConsistentGoalEnv(), true));
    }

    @Test
    void leavesTheEnvAtTheStartOfAFreshEpisode() {
        IdentityEnv env = new IdentityEnv(4, 3);
        EnvChecker.check(env, true);
        assertFalse(env.step(new float[] {0}).done());
        assertFalse(env.step(new float[] {0}).done());
        assertTrue(env.step(new float[] {0}).truncated(), "a fresh episode of 3 steps ends at the third step");
    }

    @Test
    void wrongObservationLengthFromResetIsAnError() {
        String message = errorOf(new BrokenEnvs.WrongResetLength());
        assertTrue(message.contains("reset(0) returned an observation of length 3, but Box(-1.0, 1.0, [4], float32) needs 4"), message);
    }

    @Test
    void observationOutsideTheSpaceIsAnError() {
        String message = errorOf(new BrokenEnvs.ObservationOutsideSpace());
        assertTrue(message.contains("observation [2.0, 2.0, 2.0, 2.0] from reset(0) is not in the observation space Box(-1.0, 1.0, [4], float32)"), message);
    }

    @Test
    void nanRewardIsAnError() {
        String message = errorOf(new BrokenEnvs.NanReward());
        assertTrue(message.endsWith("step() returned reward NaN"), message);
    }

    @Test
    void nanObservationDuringRandomStepsIsAnErrorNamingTheStep() {
        String message = errorOf(new BrokenEnvs.NanObservationOnThirdStep());
        assertTrue(message.contains("step() (random step 3 of 10) returned an observation containing NaN"), message);
    }

    @Test
    void infinitiesDuringRandomStepsAreErrorsToo() {
        String message = errorOf(new BrokenEnvs.ValidEnv() {
            @Override
            protected float[] stepObservation(int step) {
                obs[0] = step == 2 ? Float.POSITIVE_INFINITY : 0.5f;
                return obs;
            }
        });
        assertTrue(message.contains("step() (random step 2 of 10) returned an observation containing inf"), message);
    }

    @Test
    void nullActionSpaceIsAnError() {
        String message = errorOf(new BrokenEnvs.NullActionSpace());
        assertTrue(message.contains("actionSpace() returned null"), message);
    }

    @Test
    void nullStepResultIsAnError() {
        String message = errorOf(new BrokenEnvs.NullStepResult());
        assertTrue(message.contains("step() returned null instead of a StepResult"), message);
    }

    @Test
    void goalEnvRewardDifferingFromComputeRewardIsAnError() {
        String message = errorOf(new BrokenEnvs.InconsistentGoalReward());
        assertTrue(message.contains("GoalEnv step() returned reward 0.0 but computeReward(achieved_goal, desired_goal, info) gives -1.0"), message);
    }

    @Test
    void batchedComputeRewardDisagreeingWithTheSingleFormIsAnError() {
        String message = errorOf(new BrokenEnvs.InconsistentBatchedGoalReward());
        assertTrue(message.contains("batched computeReward() gives -1.0 for transition 1 but the single form gives 0.0"), message);
    }

    @Test
    void exceptionsFromTheEnvBecomeCheckErrorsNamingTheMethod() {
        EnvCheckException e = assertThrows(EnvCheckException.class, () -> EnvChecker.check(new BrokenEnvs.ValidEnv() {
            @Override
            protected float[] resetObservation() {
                throw new IllegalStateException("boom");
            }
        }, true));
        assertTrue(e.getMessage().contains("reset(0) threw java.lang.IllegalStateException: boom"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
    }

    @Test
    void nullEnvIsAnError() {
        assertEquals("env is null", assertThrows(EnvCheckException.class, () -> EnvChecker.check(null, true)).getMessage());
    }

    @Test
    void errorsNameTheEnvByItsRegistryId() {
        Env env = new OrderEnforcing(new BrokenEnvs.NanReward(), "Broken-v0");
        assertTrue(errorOf(env).startsWith("Broken-v0: "));
    }

    @Test
    void nonSymmetricBoxActionSpaceIsAWarning() {
        List<String> warnings = EnvChecker.check(new BrokenEnvs.NonSymmetricActions(), true);
        assertEquals(1, warnings.size(), warnings::toString);
        assertWarned(warnings, "action space Box(0.0, 2.0, [2], float32) is not symmetric and normalized");
    }

    @Test
    void smallFloatImageGetsDtypeBoundsAndResolutionWarnings() {
        List<String> warnings = EnvChecker.check(new BrokenEnvs.SmallFloatImage(), true);
        assertEquals(3, warnings.size(), warnings::toString);
        assertWarned(warnings, "looks like an image but its dtype is float32, not uint8");
        assertWarned(warnings, "looks like an image but its bounds are not [0, 255]");
        assertWarned(warnings, "image resolution 10x10");
    }

    @Test
    void uint8ImageOfSufficientSizeGetsNoWarning() {
        Env image = new BrokenEnvs.ValidEnv(Box.image(36, 40, 3), new Discrete(2)) {
            @Override
            protected float[] stepObservation(int step) {
                Arrays.fill(obs, 128f);
                return obs;
            }
        };
        assertEquals(List.of(), EnvChecker.check(image, true));
    }

    @Test
    void twoDimensionalBoxObservationIsAWarning() {
        List<String> warnings = EnvChecker.check(new BrokenEnvs.ValidEnv(new Box(-1f, 1f, 2, 2), new Discrete(2)), true);
        assertWarned(warnings, "unconventional shape");
    }

    @Test
    void dictObservationOnANonGoalEnvIsAWarning() {
        Env env = new BrokenEnvs.ValidEnv(new DictSpace(Map.of("x", new Box(-1f, 1f, 2))),
                new Discrete(2));
        assertWarned(EnvChecker.check(env, true), "is a Dict but the env is not a GoalEnv");
    }

    @Test
    void nonDeterministicResetIsAWarningNotAnError() {
        assertWarned(EnvChecker.check(new BrokenEnvs.UnseededReset(), true), "reset(0) is not deterministic");
    }

    @Test
    void warnFalseReturnsNoWarningsButStillRaisesErrors() {
        assertEquals(List.of(), EnvChecker.check(new BrokenEnvs.SmallFloatImage(), false));
        assertThrows(EnvCheckException.class, () -> EnvChecker.check(new BrokenEnvs.NanReward(), false));
    }

    @Test
    void renderCheckWarnsWithoutModesAndRequiresAFrameForRgbArray() {
        assertWarned(EnvChecker.check(new BrokenEnvs.ValidEnv(), true, false), "declares no render modes");

        Env nullFrame = new BrokenEnvs.ValidEnv() {
            @Override
            public List<String> renderModes() {
                return List.of("rgb_array");
            }

            @Override
            public RgbImage render() {
                return null;
            }
        };
        assertEquals(List.of(), EnvChecker.check(nullFrame, true), "the render check is skipped by default");
        String message = assertThrows(EnvCheckException.class, () -> EnvChecker.check(nullFrame, true, false)).getMessage();
        assertTrue(message.contains("render() returned null although renderModes() lists rgb_array"), message);

        Env rendering = new BrokenEnvs.ValidEnv() {
            @Override
            public List<String> renderModes() {
                return List.of("rgb_array");
            }

            @Override
            public RgbImage render() {
                return new RgbImage(1, 1, new byte[3]);
            }
        };
        assertEquals(List.of(), EnvChecker.check(rendering, true, false));
    }
}
