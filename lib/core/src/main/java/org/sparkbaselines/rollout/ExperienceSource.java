package org.sparkbaselines.rollout;

import org.sparkbaselines.spaces.Space;

/**
 * Experience from elsewhere than an env the algorithm steps itself: rollout workers for on-policy algorithms
 * ({@link RolloutSource}) or actors for off-policy ones ({@link ActorSource}), in process or on Spark executors. An
 * algorithm built on a source takes its spaces from it.
 */
public interface ExperienceSource extends AutoCloseable {

    Space observationSpace();

    Space actionSpace();

    /**
     * Hands what the workers collect to {@code recorder} (null stops recording), as whole fragments in worker order,
     * each tagged with the policy version that acted.
     */
    void recordTo(RolloutRecorder recorder);

    /** Releases the workers and their envs. */
    @Override
    void close();
}
