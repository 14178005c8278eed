package org.sparkbaselines.common;

import java.util.Arrays;

/**
 * What {@link Evaluation#evaluatePolicy} measured. The reference returns either
 * {@code (mean_reward, std_reward)} or, with {@code return_episode_rewards=True},
 * {@code (episode_rewards, episode_lengths)}; here both forms are the record's fields.
 *
 * @param meanReward mean episode reward
 * @param stdReward population standard deviation of episode rewards (numpy's {@code std})
 * @param episodeRewards reward of each episode, in order
 * @param episodeLengths length of each episode, in order
 */
public record EvaluationResult(double meanReward, double stdReward, double[] episodeRewards, int[] episodeLengths) {

    /** Mean episode length. */
    public double meanLength() {
        return Arrays.stream(episodeLengths).average().orElse(Double.NaN);
    }

    /** Population standard deviation of episode lengths. */
    public double stdLength() {
        double mean = meanLength();
        return Math.sqrt(Arrays.stream(episodeLengths).mapToDouble(l -> (l - mean) * (l - mean)).average().orElse(Double.NaN));
    }

    @Override
    public String toString() {
        return String.format("mean reward %.2f +/- %.2f over %d episodes (length %.1f +/- %.1f)", meanReward, stdReward,
                episodeRewards.length, meanLength(), stdLength());
    }
}
