package org.sparkbaselines.env.testenvs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;

class NanAndInfEnvTest {
    private static final int STEPS = 20_000;

    @Test
    void spacesAreUnboundedFloat64ScalarsAndResetObservesZero() {
        NanAndInfEnv env = new NanAndInfEnv();
        Box unbounded = new Box(new float[] {Float.NEGATIVE_INFINITY}, new float[] {Float.POSITIVE_INFINITY}, Box.DType.FLOAT64, 1);
        assertEquals(unbounded, env.observationSpace());
        assertEquals(unbounded, env.actionSpace());
        assertArrayEquals(new float[] {0f}, env.reset(0L));
    }

    @Test
    void aboutOnePercentNanAndOnePercentInfOtherwiseUniformBelowPointNineEight() {
        NanAndInfEnv env = new NanAndInfEnv();
        env.reset(12L);
        int nan = 0;
        int inf = 0;
        for (int i = 0; i < STEPS; i++) {
            StepResult r = env.step(new float[] {0f});
            float v = r.obs()[0];
            assertEquals(0.0, r.reward());
            assertFalse(r.done());
            if (Float.isNaN(v)) {
                nan++;
            } else if (v == Float.POSITIVE_INFINITY) {
                inf++;
            } else {
                assertTrue(v >= 0f && v <= 0.98f, "normal value " + v);
            }
        }
        // Binomial(20000, 0.01): mean 200, standard deviation 14; 140..260 is over four deviations.
        assertTrue(nan > 140 && nan < 260, "NaN count " + nan);
        assertTrue(inf > 140 && inf < 260, "inf count " + inf);
    }

    @Test
    void sameSeedGivesTheSameSequence() {
        assertArrayEquals(observations(5L), observations(5L));
        assertFalse(Arrays.equals(observations(5L), observations(6L)));
    }

    /** The raw bits of 500 observations after reset(seed), so NaNs compare equal. */
    private static int[] observations(long seed) {
        NanAndInfEnv env = new NanAndInfEnv();
        env.reset(seed);
        int[] bits = new int[500];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToIntBits(env.step(new float[] {0f}).obs()[0]);
        }
        return bits;
    }
}
