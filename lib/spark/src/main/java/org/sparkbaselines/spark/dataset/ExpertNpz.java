package org.sparkbaselines.spark.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.spark.delta.Episode;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * Moves expert datasets between the reference's {@code .npz} layout (keys {@code obs, actions,
 * rewards, episode_returns, episode_starts}) and the Delta trajectory tables, both ways, so that
 * datasets from Python Stable Baselines land in Delta and ours go back.
 *
 * <p>The round trip is lossless for a file in the layout of its env's spaces
 * ({@link TrajectoryData.Layout#forSpaces}), as the reference's {@code generate_expert_traj} writes
 * it: observations and actions are stored as float rows (exact for float32 and for integers up to
 * 2^24), rewards as doubles, and the returns — which the tables derive from the rewards — are checked
 * against the file's on import.
 */
public final class ExpertNpz {
    /** Source label prefix of imported episodes: {@code npz:<file name>}. */
    public static final String SOURCE_PREFIX = "npz:";
    /** The seed column of imported episodes: the {@code .npz} layout does not record how the env was reset. */
    public static final long UNKNOWN_SEED = -1;
    /** Steps per Spark task when writing: a few large Parquet files rather than many small ones. */
    private static final int STEPS_PER_TASK = 100_000;
    private static final String CONTENT_HASH_VERSION = "npz-v1";

    private ExpertNpz() {
    }

    /**
     * What an import holds: all the file's episodes, whether written now or by an earlier import.
     *
     * @param dataset the dataset they belong to
     * @param runId the run id, 16 hex digits of a hash of the trajectories' content
     * @param episodes episodes in the file
     * @param steps steps in the file
     * @param newEpisodes how many of them this import wrote (0 when re-importing)
     */
    public record ImportResult(String dataset, String runId, long episodes, long steps, long newEpisodes) {
    }

    /**
     * Imports an {@code .npz} into the trajectory tables under {@code table} (created if missing) as
     * one run of {@code dataset}. Idempotent: the run id is a hash of the trajectories' content, so
     * importing the same data again — from this file or any other — finds its episodes and commits
     * nothing. Imported rows record what the layout cannot: {@code next_obs} is the following
     * observation (null at an episode's last step), every episode ends {@code truncated} (not known
     * to be terminal), {@code seed} is {@value #UNKNOWN_SEED} and {@code source} is {@code npz:<file name>}.
     *
     * @param envId the env the data is for, whose spaces' sizes the observations and actions must
     *        have; null skips the check
     * @throws IOException when the file cannot be read or is not an expert dataset
     *         ({@link MalformedFileException} naming the problem, including returns that are not
     *         the sums of their episodes' rewards)
     * @throws IllegalArgumentException when the dataset name is blank or the data does not fit the env's spaces
     */
    public static ImportResult importNpz(SparkSession spark, Path npz, String table, String dataset, String envId) throws IOException {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("the dataset name must not be blank");
        }
        TrajectoryData data;
        if (envId != null) {
            try (Env env = Envs.make(envId)) {
                data = TrajectoryData.readExpertNpz(npz, env.observationSpace(), env.actionSpace());
            }
        } else {
            data = TrajectoryData.readExpertNpz(npz, null, null);
        }
        List<Episode> episodes = episodesOf(data, SOURCE_PREFIX + npz.getFileName());
        String runId = contentHash(data).substring(0, 16);
        TrajectoryStore store = DeltaExpertData.storeAt(spark, table);
        store.checkExistingTables();
        long present = store.hasEpisodesTable() ? store.episodes(dataset, runId).count() : 0;
        if (present < episodes.size()) {
            int tasks = Math.max(1, Math.min(episodes.size(), data.steps() / STEPS_PER_TASK));
            store.appendEpisodes(dataset, runId, JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(episodes, tasks));
        }
        return new ImportResult(dataset, runId, data.episodes(), data.steps(), episodes.size() - present);
    }

    /**
     * Exports every episode of {@code dataset} to {@code npz}, with the layout of the spaces of the
     * env named like the dataset (as {@code generate-expert} names datasets by default).
     *
     * @see #exportNpz(SparkSession, String, String, String, Path)
     */
    public static TrajectoryData exportNpz(SparkSession spark, String table, String dataset, Path npz) throws IOException {
        return exportNpz(spark, table, dataset, null, npz);
    }

    /**
     * Exports every episode of {@code dataset} to {@code npz} in the reference's layout for the
     * spaces of {@code envId} (int64 for integer spaces, float32 otherwise; see
     * {@link TrajectoryData#writeNpz}), episodes in (run_id, episode_id) order.
     *
     * @param envId the env whose spaces give the dtypes and shapes; null: the dataset's name
     * @return the exported trajectories
     * @throws IllegalArgumentException when a table or the dataset is missing, the env is unknown, or
     *         the data does not fit its spaces
     */
    public static TrajectoryData exportNpz(SparkSession spark, String table, String dataset, String envId, Path npz) throws IOException {
        String env = envId != null ? envId : dataset;
        if (!Envs.isRegistered(env)) {
            throw new IllegalArgumentException((envId != null ? "unknown env '" + env + "'"
                    : "the dataset name '" + dataset + "' is not an env id") + ": say which env's spaces give the .npz layout (sb dataset export --env ID)");
        }
        DeltaExpertData expert = DeltaExpertData.at(spark, table);
        TrajectoryData data;
        try (Env spaces = Envs.make(env)) {
            data = expert.load(ExpertQuery.of(dataset), spaces.observationSpace(), spaces.actionSpace());
        }
        data.writeNpz(npz);
        return data;
    }

    /** The episodes of {@code data} as the tables store them (returns are their rewards' sums, which {@link TrajectoryData#readExpertNpz} checked). */
    private static List<Episode> episodesOf(TrajectoryData data, String source) {
        boolean[] starts = data.episodeStarts();
        List<Episode> episodes = new ArrayList<>(data.episodes());
        int start = 0;
        while (start < data.steps()) {
            int end = start + 1;
            while (end < data.steps() && !starts[end]) {
                end++;
            }
            int id = episodes.size();
            float[][] observations = Arrays.copyOfRange(data.observations(), start, end);
            double[] rewards = Arrays.copyOfRange(data.rewards(), start, end);
            episodes.add(new Episode(id, 0, 0, UNKNOWN_SEED, source, observations, Arrays.copyOfRange(data.actions(), start, end),
                    rewards, nextObservations(observations), false, true, null, null, null, null));
            start = end;
        }
        return episodes;
    }

    /** Within an episode the next observation is the following row; after the last step the layout has none. */
    private static float[][] nextObservations(float[][] observations) {
        float[][] next = new float[observations.length][];
        System.arraycopy(observations, 1, next, 0, observations.length - 1);
        return next;
    }

    /** SHA-256 (hex) over the trajectories' arrays: the same trajectories give the same hash whatever file holds them. */
    private static String contentHash(TrajectoryData data) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        digest.update((CONTENT_HASH_VERSION + " " + data.observationDim() + " " + data.actionDim()).getBytes(StandardCharsets.UTF_8));
        ByteBuffer row = ByteBuffer.allocate(Double.BYTES * Math.max(Math.max(data.observationDim(), data.actionDim()), 2));
        for (int step = 0; step < data.steps(); step++) {
            row.clear();
            row.put((byte) (data.episodeStarts()[step] ? 1 : 0)).putDouble(data.rewards()[step]);
            digest.update(row.flip());
            digest.update(floatBytes(data.observations()[step], row));
            digest.update(floatBytes(data.actions()[step], row));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static ByteBuffer floatBytes(float[] values, ByteBuffer buffer) {
        buffer.clear();
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.flip();
    }
}
