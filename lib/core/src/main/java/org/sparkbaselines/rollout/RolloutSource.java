package org.sparkbaselines.rollout;

import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.policies.ActorCriticPolicy;

/**
 * Where an on-policy algorithm gets its experience: in process from a VecEnv
 * ({@link VecEnvRolloutSource}, the default), from several in-process workers
 * ({@link LocalWorkersRolloutSource}), or from workers on Spark executors (lib/spark's
 * {@code SparkRolloutSource}). Every source fills the same {@link RolloutBuffer} and reports every
 * vectorized step to the listener, so algorithms and callbacks do not know which one runs.
 */
public interface RolloutSource extends ExperienceSource {

    /** Envs across all workers (the buffer's width). */
    int numEnvs();

    /**
     * Collects {@code buffer.nSteps()} steps of every env with {@code policy} (sampling; Box actions
     * clipped before stepping) into {@code buffer}, with the last values set. Returns false when the
     * listener asked to stop (the buffer is then incomplete).
     */
    boolean collect(ActorCriticPolicy policy, RolloutBuffer buffer, double gamma, StepListener listener);

    /**
     * Hands every complete iteration's fragments to {@code recorder} (null stops recording); a rollout
     * a listener stopped is not recorded. Each collect is one policy version, counted from 1.
     */
    @Override
    void recordTo(RolloutRecorder recorder);
}
