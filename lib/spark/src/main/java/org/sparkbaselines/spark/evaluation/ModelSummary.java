package org.sparkbaselines.spark.evaluation;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;

/**
 * One row of the {@code summary} table: how one model did in one env over one evaluation run.
 * The reward and length statistics are null when no episode ran (a model that failed to load).
 *
 * @param modelPath the model's qualified path (the key, with {@code envId})
 * @param modelName its readable name
 * @param envId the env it ran in
 * @param status {@value BatchEvaluation#STATUS_OK}, or {@value BatchEvaluation#STATUS_FAILED} when the model could not be loaded
 * @param error why it failed, naming the file; null when it did not
 * @param algorithm the algorithm saved in the model file; null when it failed to load
 * @param numTimesteps how long the model had been trained; null when it failed to load
 * @param episodes how many episodes ran
 * @param baseSeed episode {@code i} ran with seed {@code baseSeed + i}
 * @param deterministic whether actions were the most likely ones rather than sampled
 * @param meanReward mean episode reward
 * @param stdReward population standard deviation of episode rewards (as {@code evaluate_policy} reports it)
 * @param minReward lowest episode reward
 * @param maxReward highest episode reward
 * @param meanLength mean episode length
 * @param evaluatedAt when the run that wrote this row started
 */
public record ModelSummary(String modelPath, String modelName, String envId, String status, String error, String algorithm,
        Long numTimesteps, int episodes, long baseSeed, boolean deterministic, Double meanReward, Double stdReward, Double minReward,
        Double maxReward, Double meanLength, Instant evaluatedAt) {

    /** Whether the model loaded and ran all its episodes. */
    public boolean ok() {
        return BatchEvaluation.STATUS_OK.equals(status);
    }

    /** Reads a row of the summary table (columns by name). */
    public static ModelSummary fromRow(Row row) {
        return new ModelSummary(row.getAs("model_path"), row.getAs("model_name"), row.getAs("env_id"), row.getAs("status"),
                row.getAs("error"), row.getAs("algorithm"), row.getAs("num_timesteps"), row.<Integer>getAs("episodes"),
                row.<Long>getAs("base_seed"), row.<Boolean>getAs("deterministic"), row.getAs("mean_reward"), row.getAs("std_reward"),
                row.getAs("min_reward"), row.getAs("max_reward"), row.getAs("mean_length"),
                row.<Timestamp>getAs("evaluated_at").toInstant());
    }
}
