package org.sparkbaselines.rollout;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;

/**
 * One policy version's parameters, sent to the workers once per version (a broadcast on Spark).
 *
 * @param clock where the learner's schedules stand, for exploring (off-policy) actors; null for on-policy workers
 */
public record PolicySnapshot(long version, LinkedHashMap<String, float[]> parameters, ExplorationClock clock) implements Serializable {

    /** An on-policy snapshot: parameters only. */
    public PolicySnapshot(long version, LinkedHashMap<String, float[]> parameters) {
        this(version, parameters, null);
    }

    /**
     * The learner's timestep count as an exploring actor needs it (its epsilon schedule, random actions before
     * {@code learning_starts}): actor {@code a}'s {@code k}-th step of the round counts as timestep
     * {@code timesteps + k * stride + a}, the index its transition will have in the learner's stream.
     *
     * @param timesteps the learner's timestep count at the round's first transition
     * @param stride actors stepping side by side
     * @param learnStart the timestep count at the start of the current {@code learn} call
     * @param learnTotal that call's {@code total_timesteps}
     * @param state exploration state the learner adapts and its actors follow (e.g. DDPG's parameter noise scale)
     */
    public record ExplorationClock(long timesteps, int stride, long learnStart, long learnTotal, HashMap<String, Double> state)
            implements Serializable {
    }
}
