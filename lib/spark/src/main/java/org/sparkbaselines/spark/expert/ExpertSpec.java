package org.sparkbaselines.spark.expert;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One expert-generation job, the reference's {@code generate_expert_traj(model, save_path, env,
 * n_episodes=...)} with a Delta destination. The run is identified by (dataset, env, expert, seed,
 * deterministic): the same values give the same run id and the same episodes, so a rerun adds nothing.
 *
 * @param expert what acts
 * @param envId the registered env it acts in
 * @param episodes how many episodes the run holds; episode {@code i} (from 0) is reset with seed {@code seed + i}
 * @param table the trajectory store's root ({@code <table>/steps}, {@code <table>/episodes}), any Hadoop path or URI
 * @param dataset the dataset the rows belong to (a partition of both tables)
 * @param seed the first episode's env seed
 * @param deterministic whether a model takes its most likely actions (sampled ones are seeded per episode too)
 * @param tasks how many Spark tasks share the episodes; 0 for Spark's default parallelism
 * @param npz where to also write the run in the reference's {@code .npz} layout, or null; ".npz" is
 *        appended to a name without it, as numpy's {@code savez} does
 */
public record ExpertSpec(ExpertSource expert, String envId, int episodes, String table, String dataset, long seed,
        boolean deterministic, int tasks, Path npz) {

    /** Checks the values; a null dataset defaults to the env id. */
    public ExpertSpec {
        Objects.requireNonNull(expert, "expert");
        requireNonBlank("env id", envId);
        requireNonBlank("table", table);
        if (dataset == null) {
            dataset = envId;
        }
        requireNonBlank("dataset", dataset);
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, got " + episodes);
        }
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be 0 (Spark's default) or more, got " + tasks);
        }
        if (npz != null && !npz.getFileName().toString().endsWith(".npz")) {
            npz = npz.resolveSibling(npz.getFileName() + ".npz");
        }
    }

    /** A job with the defaults: dataset = env id, seed 0, deterministic actions, default parallelism, no {@code .npz}. */
    public static ExpertSpec of(ExpertSource expert, String envId, int episodes, String table) {
        return new ExpertSpec(expert, envId, episodes, table, null, 0, true, 0, null);
    }

    /** This job with another episode count. */
    public ExpertSpec withEpisodes(int newEpisodes) {
        return new ExpertSpec(expert, envId, newEpisodes, table, dataset, seed, deterministic, tasks, npz);
    }

    /** This job with another dataset (null: the env id). */
    public ExpertSpec withDataset(String newDataset) {
        return new ExpertSpec(expert, envId, episodes, table, newDataset, seed, deterministic, tasks, npz);
    }

    /** This job with another first seed. */
    public ExpertSpec withSeed(long newSeed) {
        return new ExpertSpec(expert, envId, episodes, table, dataset, newSeed, deterministic, tasks, npz);
    }

    /** This job with another determinism. */
    public ExpertSpec withDeterministic(boolean newDeterministic) {
        return new ExpertSpec(expert, envId, episodes, table, dataset, seed, newDeterministic, tasks, npz);
    }

    /** This job with another task count (0: Spark's default). */
    public ExpertSpec withTasks(int newTasks) {
        return new ExpertSpec(expert, envId, episodes, table, dataset, seed, deterministic, newTasks, npz);
    }

    /** This job with another .npz file (null: none). */
    public ExpertSpec withNpz(Path newNpz) {
        return new ExpertSpec(expert, envId, episodes, table, dataset, seed, deterministic, tasks, newNpz);
    }

    private static void requireNonBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
    }
}
