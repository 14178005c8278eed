package org.sparkbaselines.spark.dataset;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.sparkbaselines.imitation.DatasetDescription;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.spark.delta.TrajectoryStore;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Expert datasets read from the trajectory tables ({@link TrajectoryStore}) with Spark SQL. The
 * selection — one dataset, optionally one run and source, {@code traj_limitation}, a train/validation
 * split by episode — is an {@link ExpertQuery} evaluated over the small {@code episodes} table; the
 * steps of the selected episodes are found with a semi-join, so only whole, committed episodes are
 * read, and only those rows reach the driver, in (run_id, episode_id, t) order. Normalization
 * statistics and {@linkplain #describe() descriptions} are SQL aggregates computed where the data lives.
 *
 * <pre>{@code
 * DeltaExpertData expert = DeltaExpertData.at(spark, "/data/expert");
 * TrajectoryData data = expert.load(ExpertQuery.of("ppo2-cartpole").withTrajLimitation(5), obsSpace, actionSpace);
 * try (ExpertDataset dataset = new ExpertDataset(data, ExpertDataset.Options.DEFAULT)) { model.pretrain(dataset); }
 * }</pre>
 */
public final class DeltaExpertData {
    private static final Seq<String> EPISODE_KEYS = columns("dataset", "run_id", "episode_id");
    /** A Hadoop URI ({@code s3a://...}, {@code file:/...}) rather than a local path. */

    private final TrajectoryStore store;

    private DeltaExpertData(TrajectoryStore store) {
        this.store = store;
    }

    /**
     * The expert data in the trajectory tables under {@code table} ({@code <table>/steps},
     * {@code <table>/episodes}): a directory (relative paths are resolved against the working
     * directory) or a Hadoop URI.
     *
     * @throws IllegalArgumentException naming the path when either table does not exist, when
     *         {@code table} is one of the tables rather than their folder, or when a table has other columns
     */
    public static DeltaExpertData at(SparkSession spark, String table) {
        TrajectoryStore store = storeAt(spark, table);
        store.requireTables();
        return new DeltaExpertData(store);
    }

    /** The trajectory store under {@code table} (the store makes relative local paths absolute). */
    static TrajectoryStore storeAt(SparkSession spark, String table) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("the table path must not be blank");
        }
        return TrajectoryStore.at(spark, table);
    }

    /** The tables this reads. */
    public TrajectoryStore store() {
        return store;
    }

    /** The names of the datasets that have at least one episode, sorted. */
    public List<String> datasets() {
        return store.episodes().select("dataset").distinct().orderBy("dataset").as(Encoders.STRING()).collectAsList();
    }

    /**
     * The name of the tables' one dataset: the default where a command is not told which.
     *
     * @throws IllegalArgumentException when the tables hold no dataset or several, naming them
     */
    public String soleDataset() {
        List<String> datasets = datasets();
        if (datasets.size() != 1) {
            throw new IllegalArgumentException(datasets.isEmpty() ? "the tables at " + store.episodesPath() + " hold no episode"
                    : "the tables hold " + datasets.size() + " datasets (" + String.join(", ", datasets) + "): name one");
        }
        return datasets.get(0);
    }

    /**
     * The {@code episodes} rows {@code query} selects, in (run_id, episode_id) order. Lazy: nothing
     * runs until the result is used.
     */
    public Dataset<Row> episodes(ExpertQuery query) {
        Dataset<Row> selected = store.episodes().where(filter(query));
        if (query.source() != null) {
            selected = selected.where(col("source").equalTo(lit(query.source())));
        }
        selected = selected.orderBy("run_id", "episode_id");
        if (query.trajLimitation() != -1) {
            selected = selected.limit(query.trajLimitation());
        }
        return query.split() == null ? selected : splitPart(selected, query.split()).orderBy("run_id", "episode_id");
    }

    /** The literal partition filters of a query, so that Spark reads only its dataset's (and run's) folders. */
    private static Column filter(ExpertQuery query) {
        Column filter = col("dataset").equalTo(lit(query.dataset()));
        return query.runId() == null ? filter : filter.and(col("run_id").equalTo(lit(query.runId())));
    }

    /**
     * The episodes of one part of a split: ranked by a seeded hash of their keys (ties, which need a
     * hash collision, broken by the keys), the first {@code floor(trainFraction * n)} — clamped to
     * {@code 1 .. n-1} — train and the rest validate.
     */
    private static Dataset<Row> splitPart(Dataset<Row> episodes, ExpertQuery.EpisodeSplit split) {
        // One window partition either way (the rank is global); naming it keeps Spark from warning about it.
        WindowSpec all = Window.partitionBy(lit(0));
        Column hash = xxhash64(lit(split.seed()), col("run_id"), col("episode_id"));
        Column n = count(lit(1)).over(all);
        Column trainEpisodes = least(greatest(floor(n.multiply(split.trainFraction())), lit(1L)), n.minus(1));
        Dataset<Row> ranked = episodes
                .withColumn("split_rank", row_number().over(all.orderBy(hash, col("run_id"), col("episode_id"))))
                .withColumn("split_train_episodes", trainEpisodes);
        Column inTrain = col("split_rank").leq(col("split_train_episodes"));
        return ranked.where(split.part() == ExpertDataset.Split.TRAIN ? inTrain : not(inTrain))
                .drop("split_rank", "split_train_episodes");
    }

    /** The {@code steps} rows of the episodes {@code query} selects: whole episodes only. Lazy. */
    public Dataset<Row> steps(ExpertQuery query) {
        return store.steps().where(filter(query)).join(episodes(query).select("dataset", "run_id", "episode_id"), EPISODE_KEYS, "left_semi");
    }

    /**
     * Collects the selected episodes to the driver as {@link TrajectoryData} (episodes in (run_id,
     * episode_id) order, steps in order), with the {@code .npz} layout of the given spaces, ready for
     * {@code new ExpertDataset(data, options)}.
     *
     * @throws IllegalArgumentException when the dataset does not exist (naming the ones that do), the
     *         query selects no episode, or the data's observation or action size differs from the spaces'
     * @throws IllegalStateException when the steps read do not add up to the selected episodes' lengths
     */
    public TrajectoryData load(ExpertQuery query, Space observationSpace, Space actionSpace) {
        EpisodeTotals totals = requireFits(query, observationSpace, actionSpace);
        TrajectoryData data = TrajectoryStore.collect(steps(query), observationSpace, actionSpace);
        if (data.episodes() != totals.episodes() || data.steps() != totals.steps()) {
            throw new IllegalStateException("the " + query.describe() + " selects " + totals.episodes() + " episodes of " + totals.steps()
                    + " steps, but " + store.stepsPath() + " holds " + data.steps() + " steps of " + data.episodes() + " of them");
        }
        return data;
    }

    /**
     * Checks, without collecting any step, that {@code query} selects episodes whose observations and
     * actions have the sizes of the given spaces (judged by one step, as {@link #load} does).
     *
     * @return the number of selected steps
     * @throws IllegalArgumentException as {@link #load} does
     */
    public long checkFits(ExpertQuery query, Space observationSpace, Space actionSpace) {
        return requireFits(query, observationSpace, actionSpace).steps();
    }

    private EpisodeTotals requireFits(ExpertQuery query, Space observationSpace, Space actionSpace) {
        EpisodeTotals totals = requireEpisodes(query);
        Row sizes = steps(query).select(size(col("obs")), size(col("action"))).head();
        TrajectoryData.requireWidth("observations", sizes.getInt(0), observationSpace, query.describe());
        TrajectoryData.requireWidth("actions", sizes.getInt(1), actionSpace, query.describe());
        return totals;
    }

    /**
     * Normalization statistics of the selected episodes as SQL aggregates: per observation
     * dimension mean and standard deviation over the steps, and mean and standard deviation of the
     * returns. Only the numbers reach the driver.
     *
     * @throws IllegalArgumentException when the dataset does not exist or the query selects no episode
     */
    public NormalizationStatistics statistics(ExpertQuery query) {
        EpisodeTotals totals = requireEpisodes(query);
        List<Row> perDimension = steps(query).select(posexplode(col("obs")).as(new String[] {"dim", "value"}))
                .groupBy("dim").agg(avg("value"), stddev_pop("value")).orderBy("dim").collectAsList();
        double[] mean = new double[perDimension.size()];
        double[] std = new double[perDimension.size()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = perDimension.get(i).getDouble(1);
            std[i] = perDimension.get(i).getDouble(2);
        }
        return new NormalizationStatistics(totals.episodes(), totals.steps(), mean, std, totals.returnMean(), totals.returnStd());
    }

    /** Episode count, step count and return statistics of a selection. */
    private record EpisodeTotals(long episodes, long steps, double returnMean, double returnStd) {
    }

    /** The totals of the selected episodes, or an error saying why there are none. */
    private EpisodeTotals requireEpisodes(ExpertQuery query) {
        Row totals = episodes(query).agg(count(lit(1)), coalesce(sum("length"), lit(0L)), avg("return"), stddev_pop("return")).head();
        long episodes = totals.getLong(0);
        if (episodes == 0) {
            List<String> datasets = datasets();
            if (!datasets.contains(query.dataset())) {
                throw noDataset(query.dataset(), store.episodesPath(), datasets);
            }
            throw new IllegalArgumentException("the " + query.describe() + " selects no episode in " + store.episodesPath());
        }
        return new EpisodeTotals(episodes, totals.getLong(1), totals.getDouble(2), totals.getDouble(3));
    }

    /** The error for a dataset that has no episode in the episodes table at {@code episodesPath}, which holds {@code datasets}. */
    static IllegalArgumentException noDataset(String dataset, String episodesPath, List<String> datasets) {
        return new IllegalArgumentException("no dataset '" + dataset + "' in " + episodesPath + "; "
                + (datasets.isEmpty() ? "the table is empty" : "its datasets are " + String.join(", ", datasets)));
    }

    /** Every dataset of the tables, described (see {@link DatasetSummary}), sorted by name. */
    public List<DatasetSummary> describe() {
        return summaries(lit(true));
    }

    /**
     * One dataset, described.
     *
     * @throws IllegalArgumentException when there is no such dataset, naming the ones there are
     */
    public DatasetSummary describe(String dataset) {
        List<DatasetSummary> summaries = summaries(col("dataset").equalTo(lit(dataset)));
        if (summaries.isEmpty()) {
            requireEpisodes(ExpertQuery.of(dataset));
        }
        return summaries.get(0);
    }

    private List<DatasetSummary> summaries(Column datasets) {
        Dataset<Row> episodes = store.episodes().where(datasets).groupBy("dataset").agg(countDistinct("run_id").as("runs"),
                sort_array(collect_set("source")).as("sources"), count(lit(1)).as("episodes"), sum("length").as("steps"),
                avg("return").as("return_mean"), stddev_pop("return").as("return_std"), min("return").as("return_min"),
                max("return").as("return_max"));
        Dataset<Row> sizes = store.steps().where(datasets).groupBy("dataset")
                .agg(max(size(col("obs"))).as("obs_dim"), max(size(col("action"))).as("action_dim"));
        return episodes.join(sizes, columns("dataset")).orderBy("dataset").collectAsList().stream()
                .map(row -> new DatasetSummary(row.getString(row.fieldIndex("dataset")), row.getLong(row.fieldIndex("runs")),
                        row.getList(row.fieldIndex("sources")),
                        new DatasetDescription(Math.toIntExact(row.getLong(row.fieldIndex("episodes"))),
                                Math.toIntExact(row.getLong(row.fieldIndex("steps"))), row.getDouble(row.fieldIndex("return_mean")),
                                row.getDouble(row.fieldIndex("return_std")), row.getDouble(row.fieldIndex("return_min")),
                                row.getDouble(row.fieldIndex("return_max"))),
                        row.getInt(row.fieldIndex("obs_dim")), row.getInt(row.fieldIndex("action_dim"))))
                .toList();
    }

    private static Seq<String> columns(String... names) {
        return JavaConverters.asScalaBuffer(List.of(names)).toSeq();
    }
}
