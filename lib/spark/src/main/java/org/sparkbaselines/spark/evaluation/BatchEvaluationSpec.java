package org.sparkbaselines.spark.evaluation;

/**
 * What {@link BatchEvaluation#run} evaluates and where it writes.
 *
 * @param models a directory of saved models ({@code *.zip}, searched recursively) or a Delta table
 *     listing them ({@link SavedModels#MODEL_LIST_DDL}); any Hadoop path or URI
 * @param envId the registered env every model runs in
 * @param episodes episodes per model; episode {@code i} resets the env with seed {@code seed + i}
 * @param table the root of the result tables: {@code <table>/episodes} and {@code <table>/summary}
 * @param seed the base seed
 * @param deterministic take each model's most likely actions (the default) rather than sampling them
 * @param episodesPerTask episodes one Spark task runs for one model, or 0 to choose so that every core
 *     gets about two tasks
 */
public record BatchEvaluationSpec(String models, String envId, int episodes, String table, long seed, boolean deterministic,
        int episodesPerTask) {

    /** Checks that the locations and the env are named and the counts are positive (0 for automatic chunking). */
    public BatchEvaluationSpec {
        requireNamed("models location", models);
        requireNamed("env id", envId);
        requireNamed("result table", table);
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, got " + episodes);
        }
        if (episodesPerTask < 0) {
            throw new IllegalArgumentException("episodesPerTask must be positive, or 0 for automatic, got " + episodesPerTask);
        }
    }

    /** {@code episodes} deterministic episodes per model from seed 0, chunked automatically. */
    public static BatchEvaluationSpec of(String models, String envId, int episodes, String table) {
        return new BatchEvaluationSpec(models, envId, episodes, table, 0L, true, 0);
    }

    /** The same evaluation from another base seed. */
    public BatchEvaluationSpec withSeed(long baseSeed) {
        return new BatchEvaluationSpec(models, envId, episodes, table, baseSeed, deterministic, episodesPerTask);
    }

    /** The same evaluation with deterministic ({@code true}) or sampled actions. */
    public BatchEvaluationSpec withDeterministic(boolean deterministicActions) {
        return new BatchEvaluationSpec(models, envId, episodes, table, seed, deterministicActions, episodesPerTask);
    }

    /** The same evaluation in chunks of {@code perTask} episodes (0: automatic). */
    public BatchEvaluationSpec withEpisodesPerTask(int perTask) {
        return new BatchEvaluationSpec(models, envId, episodes, table, seed, deterministic, perTask);
    }

    private static void requireNamed(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
    }
}
