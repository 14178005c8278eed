package org.sparkbaselines.spark.evaluation;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.spark.delta.DeltaCommits;
import org.sparkbaselines.spark.delta.TableRoots;
import org.sparkbaselines.spark.delta.TableSchemas;
import org.sparkbaselines.spark.evaluation.ModelEpisodes.EpisodeScore;
import org.sparkbaselines.spark.evaluation.SavedModels.LocalModelFile;

/**
 * Distributed batch evaluation: many saved models, whole episodes each, on Spark executors, into
 * two Delta tables under one root {@code <table>}:
 *
 * <ul>
 *   <li>{@code <table>/episodes}, one row per (model, env, seed, episode): {@value #EPISODES_DDL}</li>
 *   <li>{@code <table>/summary}, one row per (model, env): {@value #SUMMARY_DDL}</li>
 * </ul>
 *
 * <p>One Spark task loads one model and runs a contiguous range of its episodes (the scheduler never
 * sees single steps). Episode {@code i} resets the env with seed {@code seed + i} and reseeds the
 * model's action sampling, so a row depends only on (model, env, seed, determinism): how episodes are
 * split into tasks, retried or rerun changes nothing.
 *
 * <p>Idempotent: both tables are written with a Delta MERGE on their keys — (model_path, env_id,
 * seed, episode) and (model_path, env_id) — which updates rows that exist (their results and
 * {@code evaluated_at}) and inserts the others, so a scheduled rerun updates instead of duplicating,
 * and a MERGE refused because another job committed to the same table meanwhile is retried
 * ({@link DeltaCommits}).
 * Episodes are committed before summaries: a summary row means its episodes are in.
 *
 * <p>A model that cannot be loaded — whatever the loader throws short of a fatal VM error
 * ({@link VirtualMachineError}): unreadable, corrupt, another env's spaces, unknown algorithm, a class
 * it names missing — does not fail the job: its summary row gets status {@value #STATUS_FAILED} and an error naming the
 * file, it gets no episode rows in this run, and the other models are evaluated as usual. Callers that
 * must fail (the command line exits with 1) check {@link ModelSummary#ok()}.
 */
public final class BatchEvaluation {
    /** The episodes table's columns as Spark SQL DDL. */
    public static final String EPISODES_DDL = "model_path STRING NOT NULL, model_name STRING NOT NULL, algorithm STRING NOT NULL, "
            + "num_timesteps BIGINT NOT NULL, env_id STRING NOT NULL, seed BIGINT NOT NULL, episode INT NOT NULL, "
            + "deterministic BOOLEAN NOT NULL, reward DOUBLE NOT NULL, length INT NOT NULL, evaluated_at TIMESTAMP NOT NULL";
    /** The summary table's columns as Spark SQL DDL. */
    public static final String SUMMARY_DDL = "model_path STRING NOT NULL, model_name STRING NOT NULL, env_id STRING NOT NULL, "
            + "status STRING NOT NULL, error STRING, algorithm STRING, num_timesteps BIGINT, episodes INT NOT NULL, "
            + "base_seed BIGINT NOT NULL, deterministic BOOLEAN NOT NULL, mean_reward DOUBLE, std_reward DOUBLE, min_reward DOUBLE, "
            + "max_reward DOUBLE, mean_length DOUBLE, evaluated_at TIMESTAMP NOT NULL";
    /** The episodes table's schema. */
    public static final StructType EPISODES_SCHEMA = TableSchemas.fromDdl(EPISODES_DDL);
    /** The summary table's schema. */
    public static final StructType SUMMARY_SCHEMA = TableSchemas.fromDdl(SUMMARY_DDL);
    /** The episodes table's key. */
    public static final List<String> EPISODE_KEYS = List.of("model_path", "env_id", "seed", "episode");
    /** The summary table's key. */
    public static final List<String> SUMMARY_KEYS = List.of("model_path", "env_id");
    /** Status of a model that was evaluated. */
    public static final String STATUS_OK = "ok";
    /** Status of a model that could not be loaded. */
    public static final String STATUS_FAILED = "failed";

    /** What tasks return: an episode row, or (error set, episode columns null) one row per chunk whose model failed to load. */
    private static final StructType OUTCOMES_SCHEMA = outcomesSchema();
    private static final int TASKS_PER_CORE = 2;

    private BatchEvaluation() {
    }

    /** Where the episodes table of result root {@code table} lives. */
    public static String episodesPath(String table) {
        return withoutTrailingSlash(table) + "/episodes";
    }

    /** Where the summary table of result root {@code table} lives. */
    public static String summaryPath(String table) {
        return withoutTrailingSlash(table) + "/summary";
    }

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Evaluates every model of {@code spec.models()} and merges the results into the tables, creating
     * them if needed.
     *
     * @return this run's summary rows, one per model, by name
     * @throws IllegalArgumentException for an unknown env id, a models location without models, a
     *     table root that is itself a Delta table or inside one, or existing tables with other columns
     * @throws IOException when the models location cannot be listed
     */
    public static List<ModelSummary> run(SparkSession spark, BatchEvaluationSpec spec) throws IOException {
        if (!Envs.isRegistered(spec.envId())) {
            throw new IllegalArgumentException("unknown env id '" + spec.envId() + "'; registered: " + String.join(", ", Envs.ids()));
        }
        List<SavedModel> models = SavedModels.find(spark, spec.models());
        // Delta's table builder takes a relative location for a table name: qualify it first.
        TableRoots.requireRoot(spark, spec.table(), TableRoots.EVALUATION);
        String root = SavedModels.qualified(spec.table(), spark.sparkContext().hadoopConfiguration());
        String episodesTable = episodesPath(root);
        String summaryTable = summaryPath(root);
        createOrCheck(spark, episodesTable, "episodes", EPISODES_SCHEMA);
        createOrCheck(spark, summaryTable, "summary", SUMMARY_SCHEMA);

        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<EvaluationChunk> chunks = chunks(models, spec.episodes(), episodesPerTask(spec, models.size(), context.defaultParallelism()));
        Broadcast<SerializableConfiguration> hadoop = context.broadcast(new SerializableConfiguration(context.hadoopConfiguration()));
        Timestamp evaluatedAt = Timestamp.from(Instant.now());
        String envId = spec.envId();
        long baseSeed = spec.seed();
        boolean deterministic = spec.deterministic();
        JavaRDD<Row> rows = context.parallelize(chunks, chunks.size())
                .flatMap(chunk -> evaluate(chunk, envId, baseSeed, deterministic, evaluatedAt, hadoop.value().value()));
        // Cached and counted first: the episodes run once for both MERGEs, and a job that fails while evaluating writes no rows.
        Dataset<Row> outcomes = spark.createDataFrame(rows, OUTCOMES_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            outcomes.count();
            merge(spark, episodesTable, outcomes.where(col("error").isNull()).select(columns(EPISODES_SCHEMA)), EPISODE_KEYS);
            Dataset<Row> summary = summarize(outcomes, baseSeed, deterministic, evaluatedAt);
            merge(spark, summaryTable, summary, SUMMARY_KEYS);
            List<ModelSummary> result = new ArrayList<>();
            for (Row row : summary.collectAsList()) {
                result.add(ModelSummary.fromRow(row));
            }
            result.sort(Comparator.comparing(ModelSummary::modelName).thenComparing(ModelSummary::modelPath));
            return result;
        } finally {
            outcomes.unpersist(false);
            hadoop.destroy();
        }
    }

    /** One task's work: {@code count} episodes of {@code model} from episode {@code firstEpisode}. */
    private record EvaluationChunk(SavedModel model, int firstEpisode, int count) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The spec's chunk size, or one that gives every core about {@value #TASKS_PER_CORE} tasks, within one model's episodes. */
    static int episodesPerTask(BatchEvaluationSpec spec, int modelCount, int cores) {
        if (spec.episodesPerTask() > 0) {
            return Math.min(spec.episodesPerTask(), spec.episodes());
        }
        long totalEpisodes = (long) modelCount * spec.episodes();
        long tasks = (long) TASKS_PER_CORE * Math.max(1, cores);
        long perTask = (totalEpisodes + tasks - 1) / tasks;
        return (int) Math.max(1, Math.min(spec.episodes(), perTask));
    }

    private static List<EvaluationChunk> chunks(List<SavedModel> models, int episodes, int perTask) {
        List<EvaluationChunk> chunks = new ArrayList<>();
        for (SavedModel model : models) {
            for (int first = 0; first < episodes; first += perTask) {
                chunks.add(new EvaluationChunk(model, first, Math.min(perTask, episodes - first)));
            }
        }
        return chunks;
    }

    /**
     * Runs on an executor: loads the chunk's model once and runs its episodes, or returns one row saying
     * why the model could not be loaded. Failures while running episodes fail the task (Spark retries it).
     */
    private static Iterator<Row> evaluate(EvaluationChunk chunk, String envId, long baseSeed, boolean deterministic, Timestamp evaluatedAt,
            Configuration hadoop) {
        SavedModel model = chunk.model();
        ModelEpisodes episodes;
        // The model is in memory once loaded, so a temporary local copy can go right away.
        try (LocalModelFile file = SavedModels.open(model.path(), hadoop)) {
            episodes = ModelEpisodes.load(file.path(), envId);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            // Whatever a model file makes the loader throw (a LinkageError for a class it names, an
            // assertion in a custom algorithm...) is that model's failure, not the job's.
            String error = "cannot evaluate model " + model.path() + ": " + describe(e);
            return List.of(RowFactory.create(model.path(), model.name(), null, null, envId, null, null, deterministic, null, null,
                    evaluatedAt, error)).iterator();
        }
        try (episodes) {
            List<Row> rows = new ArrayList<>(chunk.count());
            for (int episode = chunk.firstEpisode(); episode < chunk.firstEpisode() + chunk.count(); episode++) {
                long seed = baseSeed + episode;
                EpisodeScore score = episodes.run(seed, deterministic);
                rows.add(RowFactory.create(model.path(), model.name(), episodes.algorithm(), episodes.numTimesteps(), envId, seed, episode,
                        deterministic, score.reward(), score.length(), evaluatedAt, null));
            }
            return rows.iterator();
        }
    }

    /** One line for the summary's error column: the message's first line, with the exception's class when that is not a plain "bad input". */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
        boolean selfExplaining = e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException;
        if (message.isEmpty()) {
            return e.getClass().getName();
        }
        return selfExplaining ? message : e.getClass().getName() + ": " + message;
    }

    /** One row per (model, env) from this run's outcomes; aggregates skip the null episode columns of failed chunks. */
    private static Dataset<Row> summarize(Dataset<Row> outcomes, long baseSeed, boolean deterministic, Timestamp evaluatedAt) {
        Column error = first("error", true);
        return outcomes.groupBy("model_path", "env_id")
                .agg(first("model_name").as("model_name"),
                        when(error.isNull(), lit(STATUS_OK)).otherwise(lit(STATUS_FAILED)).as("status"),
                        error.as("error"),
                        first("algorithm", true).as("algorithm"),
                        first("num_timesteps", true).as("num_timesteps"),
                        count("episode").cast(DataTypes.IntegerType).as("episodes"),
                        avg("reward").as("mean_reward"),
                        stddev_pop("reward").as("std_reward"),
                        min("reward").as("min_reward"),
                        max("reward").as("max_reward"),
                        avg("length").as("mean_length"))
                .withColumn("base_seed", lit(baseSeed))
                .withColumn("deterministic", lit(deterministic))
                .withColumn("evaluated_at", lit(evaluatedAt))
                .select(columns(SUMMARY_SCHEMA));
    }

    /** One Delta MERGE (one commit): rows whose key is in the table replace it, the others are inserted. */
    private static void merge(SparkSession spark, String path, Dataset<Row> rows, List<String> keys) {
        Column sameKey = keys.stream().map(key -> col("t." + key).equalTo(col("s." + key))).reduce(Column::and).orElseThrow();
        DeltaCommits.retryingConflicts(path,
                () -> DeltaTable.forPath(spark, path).as("t").merge(rows.as("s"), sameKey).whenMatched().updateAll().whenNotMatched().insertAll()
                        .execute());
    }

    /** Creates a missing table; an existing one must have our columns, else an error saying what it is. */
    private static void createOrCheck(SparkSession spark, String path, String name, StructType schema) {
        if (DeltaTable.isDeltaTable(spark, path)) {
            TableRoots.requireColumns(path, DeltaTable.forPath(spark, path).toDF().schema(), TableRoots.EVALUATION, name);
            return;
        }
        DeltaCommits.retryingConflicts(path, () -> DeltaTable.createIfNotExists(spark).location(path).addColumns(schema).execute());
    }

    private static Column[] columns(StructType schema) {
        return Arrays.stream(schema.fieldNames()).map(name -> col(name)).toArray(Column[]::new);
    }

    private static StructType outcomesSchema() {
        List<StructField> fields = new ArrayList<>();
        for (StructField field : EPISODES_SCHEMA.fields()) {
            fields.add(new StructField(field.name(), field.dataType(), true, field.metadata()));
        }
        fields.add(new StructField("error", DataTypes.StringType, true, Metadata.empty()));
        return new StructType(fields.toArray(StructField[]::new));
    }
}
