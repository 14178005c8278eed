package org.sparkbaselines.spark.expert;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.spark.delta.Episode;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * Distributed expert generation, the reference's {@code generate_expert_traj} on Spark: an expert
 * runs whole episodes inside executor tasks and the episodes land in a {@link TrajectoryStore}.
 *
 * <p>Idempotent: the run id is derived from (dataset, env, expert, seed, deterministic) — a saved
 * model counts by its bytes, not its path — and only episodes the run does not hold yet are
 * generated. A rerun with the same arguments finds them all and leaves the tables untouched; a
 * rerun after a failed job completes it; asking for more episodes adds just the new ones. Failed
 * tasks are retried by Spark and, because only complete episodes are written in one commit per
 * table, never leave a partial or duplicate episode.
 */
public final class ExpertGeneration {
    private static final String RUN_KEY_VERSION = "expert-v1";

    private ExpertGeneration() {
    }

    /** Runs the job described by {@code spec} and summarizes the run's episodes {@code 0 .. spec.episodes()-1}. */
    public static GenerationResult run(SparkSession spark, ExpertSpec spec) throws IOException {
        CheckedExpert expert = CheckedExpert.of(spec);
        String runId = runId(spec, expert.source());
        TrajectoryStore store = TrajectoryStore.at(spark, spec.table());
        store.checkExistingTables();
        List<Long> missing = missingEpisodes(store, spec.dataset(), runId, spec.episodes());
        if (!missing.isEmpty()) {
            generate(JavaSparkContext.fromSparkContext(spark.sparkContext()), store, spec, runId, expert, missing);
        }
        GenerationResult result = summarize(store, spec.dataset(), runId, spec.episodes(), missing.size());
        if (spec.npz() != null) {
            try (Env env = Envs.make(spec.envId())) {
                TrajectoryStore.collect(firstEpisodes(store.steps(spec.dataset(), runId), spec.episodes()),
                        env.observationSpace(), env.actionSpace()).writeNpz(spec.npz());
            }
        }
        return result;
    }

    /**
     * The expert as the driver checked it — built once here, so that a bad model, name or env fails
     * before any task runs — with the label its rows carry and, for a saved model, the zip's bytes.
     */
    private record CheckedExpert(String source, String name, byte[] modelZip) {
        static CheckedExpert of(ExpertSpec spec) throws IOException {
            if (spec.expert() instanceof ExpertSource.SavedModel saved) {
                byte[] zip = Files.readAllBytes(saved.path());
                ExpertPolicy.savedModel(zip, spec.envId());
                return new CheckedExpert("model:sha256:" + sha256(zip).substring(0, 16), null, zip);
            }
            String name = ((ExpertSource.Registered) spec.expert()).name();
            ExpertPolicy.named(name, spec.envId());
            return new CheckedExpert("expert:" + name, name, null);
        }
    }

    /** Runs episodes {@code ids} in Spark tasks and appends them to the run. */
    private static void generate(JavaSparkContext sc, TrajectoryStore store, ExpertSpec spec, String runId, CheckedExpert expert,
            List<Long> ids) {
        // Shipped once per executor, so the model file need not be on a shared file system.
        Broadcast<byte[]> model = expert.modelZip() == null ? null : sc.broadcast(expert.modelZip());
        try {
            EpisodeTask task = model == null
                    ? EpisodeTask.ofNamedExpert(spec.envId(), spec.seed(), spec.deterministic(), expert.source(), expert.name())
                    : EpisodeTask.ofSavedModel(spec.envId(), spec.seed(), spec.deterministic(), expert.source(), model);
            int tasks = Math.min(ids.size(), spec.tasks() > 0 ? spec.tasks() : sc.defaultParallelism());
            JavaRDD<Episode> episodes = sc.parallelize(ids, tasks).mapPartitions(task);
            store.appendEpisodes(spec.dataset(), runId, episodes);
        } finally {
            if (model != null) {
                model.destroy();
            }
        }
    }

    /**
     * The run id of {@code spec} with an expert described by {@code source}: 16 hex digits of a
     * SHA-256 over the run's identifying arguments (not the episode count, table or parallelism).
     */
    static String runId(ExpertSpec spec, String source) {
        String key = String.join("\n", RUN_KEY_VERSION, spec.dataset(), spec.envId(), source, Long.toString(spec.seed()),
                Boolean.toString(spec.deterministic()));
        return sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Dataset<Row> firstEpisodes(Dataset<Row> rows, int episodes) {
        return rows.where(col("episode_id").lt(lit((long) episodes)));
    }

    /** The ids in {@code 0 .. episodes-1} the run's episodes table does not hold. */
    private static List<Long> missingEpisodes(TrajectoryStore store, String dataset, String runId, int episodes) {
        Set<Long> present = new HashSet<>();
        for (Row row : !store.hasEpisodesTable() ? List.<Row>of()
                : firstEpisodes(store.episodes(dataset, runId), episodes).select("episode_id").collectAsList()) {
            present.add(row.getLong(0));
        }
        return LongStream.range(0, episodes).boxed().filter(id -> !present.contains(id)).collect(Collectors.toList());
    }

    private static GenerationResult summarize(TrajectoryStore store, String dataset, String runId, int episodes, long newEpisodes) {
        Row stats = firstEpisodes(store.episodes(dataset, runId), episodes)
                .agg(count(lit(1)), coalesce(sum("length"), lit(0L)), avg("return"), stddev_pop("return"), avg("length"))
                .first();
        return new GenerationResult(dataset, runId, stats.getLong(0), stats.getLong(1), stats.getDouble(2), stats.getDouble(3),
                stats.getDouble(4), newEpisodes);
    }
}
