package org.sparkbaselines.rollout;

import java.util.SplittableRandom;

/**
 * How a {@link RolloutWorker} chooses its envs' actions: an on-policy policy sampling them ({@link PolicyActor}), or an
 * off-policy algorithm exploring (its {@code OffPolicyAlgorithm.actorSpec()}). Built where the worker runs from an
 * {@link ActorSpec}, and brought up to date once per policy version with a {@link PolicySnapshot}.
 */
public interface Actor {

    /** Takes a policy version's parameters (and, for exploring actors, where the learner's schedules stand). */
    void update(PolicySnapshot snapshot);

    /**
     * Chooses actions for observation rows {@code [0, n)}: what the learner stores into {@code actions}, what the env
     * gets into {@code envActions}, and, where the learner uses them, the values and log-probabilities.
     */
    void act(float[][] obs, int n, SplittableRandom random, float[][] actions, float[][] envActions, float[] values, float[] logProbs);

    /** The values of observations rows {@code [0, n)}, for a learner that bootstraps from them (else zeros). */
    void predictValues(float[][] obs, int n, float[] out);

    /** Env {@code env} begins an episode (exploration noise is reset per episode). */
    default void episodeStarted(int env) {
    }
}
