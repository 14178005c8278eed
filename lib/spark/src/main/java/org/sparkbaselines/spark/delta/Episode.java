package org.sparkbaselines.spark.delta;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One complete episode as the trajectory tables hold it: step {@code t} saw {@code observations[t]},
 * took {@code actions[t]}, got {@code rewards[t]} and led to {@code nextObservations[t]}. Only the
 * last step can end the episode, through {@code terminated} (a terminal state of the MDP) and/or
 * {@code truncated} (cut short, e.g. by a time limit); the two are kept apart so learners bootstrap
 * correctly. Observations and actions are flat rows in their spaces' layouts.
 *
 * <p>The arrays are not copied: a producer hands them over and no one changes them afterwards.
 *
 * @param episodeId the episode's key within its run (with the dataset and run id)
 * @param workerId which worker (Spark task) collected it
 * @param policyVersion the version of the policy that acted at the first step (0 for experts that never change)
 * @param seed the seed the env was reset with
 * @param source what acted, e.g. {@code "expert:cartpole-balance"} or {@code "model:sha256:..."}
 * @param success whether a goal was reached ({@code info["is_success"]} at the last step), or null when the env does not say
 * @param actionLogProbabilities per-step log-probability of the action taken, or null
 * @param values per-step value estimate, or null
 * @param stepPolicyVersions per-step policy version when it changes within the episode (training
 *        rollouts continue across updates), or null when {@code policyVersion} acted throughout
 */
public record Episode(long episodeId, int workerId, long policyVersion, long seed, String source,
        float[][] observations, float[][] actions, double[] rewards, float[][] nextObservations,
        boolean terminated, boolean truncated, Boolean success, float[] actionLogProbabilities, float[] values,
        long[] stepPolicyVersions)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that the per-step arrays agree in length and that there is at least one step. */
    public Episode {
        Objects.requireNonNull(source, "source");
        int length = rewards.length;
        if (length == 0) {
            throw new IllegalArgumentException("episode " + episodeId + " has no steps");
        }
        requireLength("observations", observations.length, length, episodeId);
        requireLength("actions", actions.length, length, episodeId);
        requireLength("nextObservations", nextObservations.length, length, episodeId);
        if (actionLogProbabilities != null) {
            requireLength("actionLogProbabilities", actionLogProbabilities.length, length, episodeId);
        }
        if (values != null) {
            requireLength("values", values.length, length, episodeId);
        }
        if (stepPolicyVersions != null) {
            requireLength("stepPolicyVersions", stepPolicyVersions.length, length, episodeId);
        }
    }

    private static void requireLength(String name, int actual, int expected, long episodeId) {
        if (actual != expected) {
            throw new IllegalArgumentException("episode " + episodeId + ": " + name + " has " + actual + " steps, rewards have " + expected);
        }
    }

    /** The number of steps. */
    public int length() {
        return rewards.length;
    }

    /** The version of the policy that acted at step {@code t}. */
    public long policyVersionAt(int t) {
        return stepPolicyVersions == null ? policyVersion : stepPolicyVersions[t];
    }

    /** The undiscounted sum of the rewards. */
    public double totalReward() {
        return Arrays.stream(rewards).sum();
    }
}
