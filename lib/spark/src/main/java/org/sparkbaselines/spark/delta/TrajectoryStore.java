package org.sparkbaselines.spark.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.spaces.Space;

/**
 * The trajectory tables: the one place their Delta schemas live, and the writer and readers every
 * job uses. Two tables, both partitioned by {@code dataset} and {@code run_id}:
 *
 * <ul>
 *   <li>{@code steps}, one row per env step: {@value #STEPS_DDL}</li>
 *   <li>{@code episodes}, one row per complete episode: {@value #EPISODES_DDL}</li>
 * </ul>
 *
 * <p>Writes are whole episodes, atomic and idempotent: {@link #appendEpisodes} commits a batch to
 * each table in one Delta transaction (a failed or retried Spark task never shows up as part of an
 * episode) and inserts only rows whose keys — (dataset, run_id, episode_id[, t]) — are not in the
 * table yet, so writing the same episodes again changes nothing. The steps commit comes first:
 * an {@code episodes} row means all of its steps are in. A commit refused because another job
 * committed to the same table meanwhile is retried ({@link DeltaCommits}).
 */
public final class TrajectoryStore {
    /** The steps table's columns as Spark SQL DDL. */
    public static final String STEPS_DDL = "dataset STRING NOT NULL, run_id STRING NOT NULL, policy_version BIGINT NOT NULL, "
            + "worker_id INT NOT NULL, episode_id BIGINT NOT NULL, t INT NOT NULL, obs ARRAY<FLOAT> NOT NULL, "
            + "action ARRAY<FLOAT> NOT NULL, reward DOUBLE NOT NULL, terminated BOOLEAN NOT NULL, truncated BOOLEAN NOT NULL, "
            + "next_obs ARRAY<FLOAT>, action_logp FLOAT, value FLOAT, info STRING";
    /** The episodes table's columns as Spark SQL DDL. */
    public static final String EPISODES_DDL = "dataset STRING NOT NULL, run_id STRING NOT NULL, episode_id BIGINT NOT NULL, "
            + "length INT NOT NULL, return DOUBLE NOT NULL, success BOOLEAN, seed BIGINT NOT NULL, policy_version BIGINT NOT NULL, "
            + "source STRING NOT NULL, created_at TIMESTAMP NOT NULL";
    /** The steps table's schema. */
    public static final StructType STEPS_SCHEMA = TableSchemas.fromDdl(STEPS_DDL);
    /** The episodes table's schema. */
    public static final StructType EPISODES_SCHEMA = TableSchemas.fromDdl(EPISODES_DDL);
    /** Both tables are partitioned by these, so one job's rows live in their own folders. */
    public static final List<String> PARTITION_COLUMNS = List.of("dataset", "run_id");

    private static final List<String> EPISODE_KEYS = List.of("dataset", "run_id", "episode_id");
    private static final List<String> STEP_KEYS = List.of("dataset", "run_id", "episode_id", "t");

    private final SparkSession spark;
    private final String stepsPath;
    private final String episodesPath;
    /** Set once this store has created or checked both tables, so later writes skip reading their schemas. */
    private boolean tablesChecked;

    /** A store whose tables live at {@code stepsPath} and {@code episodesPath} (any Hadoop path or URI). */
    public TrajectoryStore(SparkSession spark, String stepsPath, String episodesPath) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.stepsPath = qualify(Objects.requireNonNull(stepsPath, "stepsPath"));
        this.episodesPath = qualify(Objects.requireNonNull(episodesPath, "episodesPath"));
    }

    /** Makes a relative local path absolute: Delta's path-based tables do not accept relative paths. */
    private static String qualify(String path) {
        boolean hasScheme = path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
        return hasScheme || path.startsWith("/") ? path : java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
    }

    /**
     * A store whose tables live at {@code <root>/steps} and {@code <root>/episodes}.
     *
     * @throws IllegalArgumentException when {@code root} is a Delta table itself or lies inside one
     *         (e.g. {@code <root>/steps} was passed), saying which folder to pass
     */
    public static TrajectoryStore at(SparkSession spark, String root) {
        TableRoots.requireRoot(spark, root, TableRoots.TRAJECTORIES);
        return new TrajectoryStore(spark, stepsPathAt(root), episodesPathAt(root));
    }

    /** Where the steps table of the tables under {@code root} lives, as {@link #stepsPath()} of {@link #at} names it. */
    public static String stepsPathAt(String root) {
        return qualify(base(root) + "/steps");
    }

    /** Where the episodes table of the tables under {@code root} lives, as {@link #episodesPath()} of {@link #at} names it. */
    public static String episodesPathAt(String root) {
        return qualify(base(root) + "/episodes");
    }

    private static String base(String root) {
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** Where the steps table lives. */
    public String stepsPath() {
        return stepsPath;
    }

    /** Where the episodes table lives. */
    public String episodesPath() {
        return episodesPath;
    }

    /**
     * Checks the columns of whichever table exists (once per store): an existing table with other columns
     * is an error naming it. A missing table is fine: the first write creates it.
     */
    public void checkExistingTables() {
        if (!tablesChecked) {
            checkColumns(stepsPath, "steps");
            checkColumns(episodesPath, "episodes");
            tablesChecked = true;
        }
    }

    /** Reads the table's columns with Delta Kernel (no Spark job, no Delta start-up in Spark), or with Spark where Kernel cannot. */
    private void checkColumns(String path, String name) {
        try {
            KernelTables.columns(spark.sparkContext().hadoopConfiguration(), path)
                    .ifPresent(columns -> TableRoots.requireColumns(path, columns, TableRoots.TRAJECTORIES, name));
        } catch (KernelTables.KernelCannotException e) {
            if (DeltaTable.isDeltaTable(spark, path)) {
                requireColumns(path, name);
            }
        }
    }

    /** Whether the episodes table exists (before a run's first write it may not). */
    public boolean hasEpisodesTable() {
        return DeltaTable.isDeltaTable(spark, episodesPath);
    }

    /**
     * Writes the episodes of one run — a job's partition ({@code dataset}, {@code runId}) — creating
     * the tables if needed (a new table is created by its first write: one commit, no MERGE). Episodes
     * whose keys are already in a table are skipped there, so a retried or repeated write adds nothing twice. {@code episodes} is computed once: it is cached
     * for the two table commits (unless the caller cached it already) and released afterwards.
     *
     * @return the number of episodes in the batch (written now or already present)
     */
    public long appendEpisodes(String dataset, String runId, JavaRDD<Episode> episodes) {
        requireName("dataset", dataset);
        requireName("run id", runId);
        checkExistingTables();
        boolean cacheHere = episodes.getStorageLevel().equals(StorageLevel.NONE());
        JavaRDD<Episode> batch = cacheHere ? episodes.persist(StorageLevel.MEMORY_AND_DISK()) : episodes;
        try {
            long count = batch.count();
            if (count == 0) {
                return 0;
            }
            Timestamp createdAt = Timestamp.from(Instant.now());
            Dataset<Row> steps = spark.createDataFrame(batch.flatMap(e -> stepRows(dataset, runId, e).iterator()), STEPS_SCHEMA);
            insertMissing(stepsPath, steps, STEP_KEYS, dataset, runId);
            Dataset<Row> summaries = spark.createDataFrame(batch.map(e -> episodeRow(dataset, runId, e, createdAt)), EPISODES_SCHEMA);
            insertMissing(episodesPath, summaries, EPISODE_KEYS, dataset, runId);
            return count;
        } finally {
            if (cacheHere) {
                batch.unpersist(false);
            }
        }
    }

    /**
     * Commits batches of episodes staged with {@link StagedEpisodes#write} (each written by an executor's
     * rollout worker or the driver): one commit per table, steps first, adding the data files the stagers
     * wrote (Delta Kernel: no Spark job, and the rows never pass through the driver). The caller commits each
     * batch once, so a blind append is enough; a commit lost to a concurrent writer is retried. A new table
     * is created by its first commit.
     *
     * @return the number of episodes in the batches
     */
    public long commitStaged(String dataset, String runId, List<StagedEpisodes> staged) {
        requireName("dataset", dataset);
        requireName("run id", runId);
        List<StagedEpisodes> batches = staged.stream().filter(batch -> !batch.isEmpty()).toList();
        if (batches.isEmpty()) {
            return 0;
        }
        checkExistingTables();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // Steps first: an episodes row never names an episode whose steps are not there.
        commitFiles(hadoop, stepsPath, STEPS_SCHEMA, dataset, runId, batches.stream().map(StagedEpisodes::steps).toList());
        commitFiles(hadoop, episodesPath, EPISODES_SCHEMA, dataset, runId, batches.stream().map(StagedEpisodes::episodes).toList());
        return batches.stream().mapToLong(StagedEpisodes::episodeCount).sum();
    }

    /**
     * Adds the data files to the table with Delta Kernel; where Kernel cannot (a table feature or protocol it
     * lacks, or spark-submit's class loaders keeping its Parquet reader from reading a checkpoint), Spark
     * appends the files' rows instead, and the files, never committed, are deleted.
     */
    private void commitFiles(Configuration hadoop, String path, StructType schema, String dataset, String runId,
            List<KernelTables.DataFile> files) {
        try {
            KernelTables.commit(hadoop, path, schema, dataset, runId, files);
        } catch (KernelTables.KernelCannotException e) {
            StructType physical = new StructType(java.util.Arrays.stream(schema.fields())
                    .filter(field -> !PARTITION_COLUMNS.contains(field.name())).toArray(org.apache.spark.sql.types.StructField[]::new));
            Dataset<Row> rows = spark.read().schema(physical).parquet(files.stream().map(KernelTables.DataFile::path).toArray(String[]::new))
                    .withColumn("dataset", lit(dataset)).withColumn("run_id", lit(runId))
                    .select(java.util.Arrays.stream(schema.fieldNames()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
            append(path, rows);
            KernelTables.deleteFiles(hadoop, files);
        }
    }

    private void append(String path, Dataset<Row> rows) {
        DeltaCommits.retryingConflicts(path, () -> write(rows, SaveMode.Append, path));
    }

    private static void write(Dataset<Row> rows, SaveMode mode, String path) {
        rows.write().format("delta").partitionBy(PARTITION_COLUMNS.toArray(String[]::new)).mode(mode).save(path);
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
    }

    /**
     * One commit that inserts the rows of {@code source} whose keys the table does not hold: a Delta MERGE,
     * or, while the table does not exist, the table's first commit (nothing to match, so no MERGE: on a
     * new table that saves the MERGE's fixed cost). Two jobs creating the same table at once both try
     * version 0; Delta refuses one, which then MERGEs on its retry.
     */
    private void insertMissing(String path, Dataset<Row> source, List<String> keys, String dataset, String runId) {
        // Literal partition values let Delta read only this run's files when matching keys.
        Column thisRun = col("t.dataset").equalTo(lit(dataset)).and(col("t.run_id").equalTo(lit(runId)));
        Column condition = keys.stream().map(key -> col("t." + key).equalTo(col("s." + key))).reduce(thisRun, Column::and);
        DeltaCommits.retryingConflicts(path, () -> {
            if (DeltaTable.isDeltaTable(spark, path)) {
                DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), condition).whenNotMatched().insertAll().execute();
            } else {
                write(source, SaveMode.ErrorIfExists, path);
            }
        });
    }

    static List<Row> stepRows(String dataset, String runId, Episode episode) {
        List<Row> rows = new ArrayList<>(episode.length());
        int last = episode.length() - 1;
        for (int t = 0; t <= last; t++) {
            rows.add(RowFactory.create(dataset, runId, episode.policyVersionAt(t), episode.workerId(), episode.episodeId(), t,
                    episode.observations()[t], episode.actions()[t], episode.rewards()[t],
                    t == last && episode.terminated(), t == last && episode.truncated(), episode.nextObservations()[t],
                    episode.actionLogProbabilities() == null ? null : episode.actionLogProbabilities()[t],
                    episode.values() == null ? null : episode.values()[t], null));
        }
        return rows;
    }

    static Row episodeRow(String dataset, String runId, Episode episode, Timestamp createdAt) {
        return RowFactory.create(dataset, runId, episode.episodeId(), episode.length(), episode.totalReward(), episode.success(),
                episode.seed(), episode.policyVersion(), episode.source(), createdAt);
    }

    /** All step rows. A missing table is an error naming its path. */
    public Dataset<Row> steps() {
        return load(stepsPath, "steps");
    }

    /** All episode rows. A missing table is an error naming its path. */
    public Dataset<Row> episodes() {
        return load(episodesPath, "episodes");
    }

    /** The step rows of one run. */
    public Dataset<Row> steps(String dataset, String runId) {
        return inRun(steps(), dataset, runId);
    }

    /** The episode rows of one run. */
    public Dataset<Row> episodes(String dataset, String runId) {
        return inRun(episodes(), dataset, runId);
    }

    private static Dataset<Row> inRun(Dataset<Row> table, String dataset, String runId) {
        return table.where(col("dataset").equalTo(lit(dataset)).and(col("run_id").equalTo(lit(runId))));
    }

    private Dataset<Row> load(String path, String table) {
        requireTable(path, table);
        return spark.read().format("delta").load(path);
    }

    private void requireTable(String path, String table) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            throw missingTable(path, table);
        }
    }

    /** The error for a trajectory table ({@code steps} or {@code episodes}) that is not at {@code path}. */
    public static IllegalArgumentException missingTable(String path, String table) {
        return new IllegalArgumentException("no Delta " + table + " table at " + path
                + ": write trajectories there first (e.g. sb generate-expert --table <root>)");
    }

    /**
     * Checks that both tables exist and have the trajectory tables' columns, reading no rows.
     *
     * @throws IllegalArgumentException naming a missing table, or what a table of other columns is
     */
    public void requireTables() {
        requireTable(stepsPath, "steps");
        requireColumns(stepsPath, "steps");
        requireTable(episodesPath, "episodes");
        requireColumns(episodesPath, "episodes");
    }

    /** Nullability aside (Delta may relax it), the table must have exactly our columns. */
    private void requireColumns(String path, String name) {
        TableRoots.requireColumns(path, spark.read().format("delta").load(path).schema(), TableRoots.TRAJECTORIES, name);
    }

    /**
     * Collects one episode's arrays on the driver, steps in order.
     *
     * @throws IllegalArgumentException when the episodes table has no such episode
     * @throws IllegalStateException when its steps do not add up to the recorded length
     */
    public Episode readEpisode(String dataset, String runId, long episodeId) {
        Column thisEpisode = col("episode_id").equalTo(lit(episodeId));
        List<Row> summary = episodes(dataset, runId).where(thisEpisode).collectAsList();
        if (summary.isEmpty()) {
            throw new IllegalArgumentException("no episode " + episodeId + " of run " + runId + " in dataset " + dataset
                    + " at " + episodesPath);
        }
        Row episode = summary.get(0);
        List<Row> rows = steps(dataset, runId).where(thisEpisode).orderBy("t").collectAsList();
        int length = episode.getInt(episode.fieldIndex("length"));
        if (rows.size() != length) {
            throw new IllegalStateException("episode " + episodeId + " of run " + runId + " has " + rows.size()
                    + " step rows at " + stepsPath + " but length " + length);
        }
        float[][] observations = new float[length][];
        float[][] actions = new float[length][];
        float[][] nextObservations = new float[length][];
        double[] rewards = new double[length];
        long episodeVersion = episode.getLong(episode.fieldIndex("policy_version"));
        long[] stepVersions = new long[length];
        boolean versionChanges = false;
        for (int t = 0; t < length; t++) {
            Row step = rows.get(t);
            stepVersions[t] = step.getLong(step.fieldIndex("policy_version"));
            versionChanges |= stepVersions[t] != episodeVersion;
            observations[t] = floats(step, "obs");
            actions[t] = floats(step, "action");
            nextObservations[t] = floats(step, "next_obs");
            rewards[t] = step.getDouble(step.fieldIndex("reward"));
        }
        Row last = rows.get(length - 1);
        int success = episode.fieldIndex("success");
        return new Episode(episodeId, last.getInt(last.fieldIndex("worker_id")), episodeVersion,
                episode.getLong(episode.fieldIndex("seed")), episode.getString(episode.fieldIndex("source")),
                observations, actions, rewards, nextObservations,
                last.getBoolean(last.fieldIndex("terminated")), last.getBoolean(last.fieldIndex("truncated")),
                episode.isNullAt(success) ? null : episode.getBoolean(success),
                optionalPerStep(rows, "action_logp"), optionalPerStep(rows, "value"), versionChanges ? stepVersions : null);
    }

    /** A nullable float column over an episode's steps, or null unless every step has a value. */
    private static float[] optionalPerStep(List<Row> steps, String column) {
        float[] values = new float[steps.size()];
        for (int t = 0; t < values.length; t++) {
            Row step = steps.get(t);
            int index = step.fieldIndex(column);
            if (step.isNullAt(index)) {
                return null;
            }
            values[t] = step.getFloat(index);
        }
        return values;
    }

    /**
     * Collects step rows on the driver as {@link TrajectoryData}, ordered by run, episode and step:
     * what {@code ExpertDataset} trains on and what {@link TrajectoryData#writeNpz} saves in the
     * reference's {@code .npz} layout. {@code steps} is any selection of the steps table made of
     * whole episodes; the spaces say how the {@code .npz} stores observations and actions.
     *
     * @throws IllegalArgumentException when the selection holds part of an episode, or no step
     */
    public static TrajectoryData collect(Dataset<Row> steps, Space observationSpace, Space actionSpace) {
        Iterator<Row> rows = steps.select("run_id", "episode_id", "t", "obs", "action", "reward")
                .orderBy("run_id", "episode_id", "t").toLocalIterator();
        List<float[]> observations = new ArrayList<>();
        List<float[]> actions = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        List<Boolean> starts = new ArrayList<>();
        List<Double> returns = new ArrayList<>();
        String run = null;
        long episode = -1;
        int expectedT = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            boolean start = !row.getString(0).equals(run) || row.getLong(1) != episode;
            if (start) {
                run = row.getString(0);
                episode = row.getLong(1);
                expectedT = 0;
                returns.add(0.0);
            }
            if (row.getInt(2) != expectedT++) {
                throw new IllegalArgumentException("the selected steps hold part of episode " + episode + " of run " + run
                        + ": step " + row.getInt(2) + " where step " + (expectedT - 1) + " was expected");
            }
            double reward = row.getDouble(5);
            observations.add(floats(row, "obs"));
            actions.add(floats(row, "action"));
            rewards.add(reward);
            starts.add(start);
            returns.set(returns.size() - 1, returns.get(returns.size() - 1) + reward);
        }
        boolean[] episodeStarts = new boolean[starts.size()];
        for (int i = 0; i < episodeStarts.length; i++) {
            episodeStarts[i] = starts.get(i);
        }
        return new TrajectoryData(observations.toArray(float[][]::new), actions.toArray(float[][]::new),
                rewards.stream().mapToDouble(Double::doubleValue).toArray(), returns.stream().mapToDouble(Double::doubleValue).toArray(),
                episodeStarts, TrajectoryData.Layout.forSpaces(observationSpace, actionSpace));
    }

    /** An {@code array<float>} column as a Java array; null stays null. */
    public static float[] floats(Row row, String column) {
        int index = row.fieldIndex(column);
        if (row.isNullAt(index)) {
            return null;
        }
        List<Float> values = row.getList(index);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
