package org.sparkbaselines.buffers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparkbaselines.rollout.RolloutFragment;

/**
 * GAE on a rollout of 3 steps x 2 envs with gamma = lambda = 0.5, against advantages computed by hand
 * ({@code delta = r + gamma V(next) (1 - nextStart) - V}, {@code A = delta + gamma lambda (1 - nextStart) A(next)}).
 *
 * <p>Env 0: an episode ends at step 1, so step 2 starts one; after the rollout its episode goes on (bootstrap
 * from the last value 2). Env 1: a time limit cuts its episode at step 0 (cut-off observation worth 4); the
 * episode it starts at step 1 terminates at step 2.
 */
class RolloutBufferTest {
    private static final double GAMMA = 0.5;

    private static RolloutFragment env0() {
        RolloutFragment f = new RolloutFragment(0, 1, 3, 1, 1, 1);
        set(f, new double[] {1, 2, 3}, new float[] {0.5f, 1f, 1.5f}, new boolean[] {true, false, true});
        f.terminated[1] = true;
        f.lastValues[0] = 2;
        f.lastEpisodeStarts[0] = false;
        return f;
    }

    private static RolloutFragment env1() {
        RolloutFragment f = new RolloutFragment(1, 1, 3, 1, 1, 1);
        set(f, new double[] {1, 1, 1}, new float[] {2, 1, 1}, new boolean[] {false, true, false});
        f.truncated[0] = true;
        f.bootstrapValues[0] = 4;
        f.terminated[2] = true;
        f.lastValues[0] = 3;
        f.lastEpisodeStarts[0] = true;
        return f;
    }

    private static void set(RolloutFragment f, double[] rewards, float[] values, boolean[] starts) {
        for (int t = 0; t < 3; t++) {
            f.observations[t][0] = 10 * f.workerId + t;
            f.rewards[t] = rewards[t];
            f.values[t] = values[t];
            f.episodeStarts[t] = starts[t];
        }
    }

    private static RolloutBuffer filled(boolean bootstrapTruncated, double lambda) {
        RolloutBuffer buffer = new RolloutBuffer(3, 2, 1, 1, bootstrapTruncated);
        buffer.addFragment(env1(), 1, GAMMA);
        buffer.addFragment(env0(), 0, GAMMA);
        buffer.computeReturnsAndAdvantage(GAMMA, lambda);
        return buffer;
    }

    @Test
    void fragmentsLandInTheirEnvColumns() {
        RolloutBuffer buffer = filled(true, 0.5);
        float[] observed = new float[6];
        for (int row = 0; row < 6; row++) {
            observed[row] = buffer.observations()[row][0];
        }
        // row = step * nEnvs + env
        assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12}, observed);
        assertArrayEquals(new boolean[] {true, false, false, true, true, false}, buffer.episodeStarts());
    }

    @Test
    void gaeAcrossEpisodeStartsTheFinalBootstrapAndATruncation() {
        RolloutBuffer buffer = filled(true, 0.5);
        // env 0: t2: 3 + 0.5*2 - 1.5 = 2.5; t1 (next starts): 2 - 1 = 1; t0: 1 + 0.5*1 - 0.5 = 1, + 0.25*1 = 1.25
        // env 1: t0's reward gains 0.5*4 (truncated): 3 - 2 = 1; t1: 1 + 0.5*1 - 1 = 0.5 (+ 0.25*0); t2 (next starts): 1 - 1 = 0
        assertArrayEquals(new double[] {1, 3, 2, 1, 3, 1}, buffer.rewards());
        assertArrayEquals(new float[] {1.25f, 1f, 1f, 0.5f, 2.5f, 0f}, buffer.advantages());
        assertArrayEquals(new float[] {1.75f, 3f, 2f, 1.5f, 4f, 1f}, buffer.returns());
    }

    @Test
    void aTruncationEndsTheReturnWhenTreatedAsTerminal() {
        RolloutBuffer buffer = filled(false, 0.5);
        // env 1, t0: 1 - 2 = -1, nothing bootstrapped past the cut; everything else as before
        assertArrayEquals(new double[] {1, 1, 2, 1, 3, 1}, buffer.rewards());
        assertArrayEquals(new float[] {1.25f, -1f, 1f, 0.5f, 2.5f, 0f}, buffer.advantages());
        assertArrayEquals(new float[] {1.75f, 1f, 2f, 1.5f, 4f, 1f}, buffer.returns());
    }

    @Test
    void lambdaOneGivesBootstrappedDiscountedReturns() {
        RolloutBuffer buffer = filled(true, 1.0);
        // env 0: R2 = 3 + 0.5*2 = 4, R1 = 2 (terminal), R0 = 1 + 0.5*2 = 2; env 1: R2 = 1, R1 = 1 + 0.5*1 = 1.5, R0 = 1 + 0.5*4 = 3
        assertArrayEquals(new float[] {2f, 3f, 2f, 1.5f, 4f, 1f}, buffer.returns());
        assertArrayEquals(new float[] {1.5f, 1f, 1f, 0.5f, 2.5f, 0f}, buffer.advantages());
    }

    @Test
    void returnsNeedEveryEnvColumn() {
        RolloutBuffer buffer = new RolloutBuffer(3, 2, 1, 1);
        buffer.addFragment(env0(), 0, GAMMA);
        assertThrows(IllegalStateException.class, () -> buffer.computeReturnsAndAdvantage(GAMMA, 0.95));
    }
}
