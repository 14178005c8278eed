package org.sparkbaselines.spark.dataset;

import static io.delta.kernel.internal.util.Utils.singletonCloseableIterator;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.DataType;
import org.sparkbaselines.imitation.DatasetDescription;
import org.sparkbaselines.spark.delta.TableRoots;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * The trajectory tables ({@link TrajectoryStore}) read with Delta Kernel, in this process, without
 * Spark: for short commands over small tables, where starting a Spark session and reconstructing
 * each table's snapshot with Spark jobs costs seconds and the reading itself milliseconds.
 * {@link #describe()} returns what {@link DeltaExpertData#describe()} does: the latest snapshot of the
 * {@code episodes} table is read whole (five of its columns), and of the {@code steps} table only
 * the {@code obs} and {@code action} of one row per dataset, from one file of the dataset's partition.
 *
 * <p>The paths, checks and error messages are those of {@link DeltaExpertData#at}: a root that is
 * (or is inside) a Delta table, a missing table and a table of other columns are refused the same
 * way. A table Kernel cannot read (a protocol version or table feature this Kernel does not support),
 * or a class path where Kernel's Parquet reader cannot load (spark-submit's), is a
 * {@link KernelUnsupportedException}: read the tables with Spark instead.
 *
 * <pre>{@code
 * List<DatasetSummary> summaries = KernelExpertData.at("data/expert-cartpole").describe();
 * }</pre>
 */
public final class KernelExpertData {
    /** Spark SQL orders strings by their UTF-8 bytes, which is code point order (String.compareTo is UTF-16 order). */
    private static final Comparator<String> SQL_STRING_ORDER = KernelExpertData::compareCodePoints;

    private final Engine engine;
    private final String stepsPath;
    private final String episodesPath;
    private final Snapshot steps;
    private final Snapshot episodes;
    /** The summaries and the datasets of the episodes table, once read. */
    private Described described;

    private record Described(List<DatasetSummary> summaries, List<String> datasets) {
    }

    private KernelExpertData(Engine engine, String stepsPath, String episodesPath, Snapshot steps, Snapshot episodes) {
        this.engine = engine;
        this.stepsPath = stepsPath;
        this.episodesPath = episodesPath;
        this.steps = steps;
        this.episodes = episodes;
    }

    /**
     * The trajectory tables under {@code root}, a directory (relative paths are resolved against the
     * working directory) or a Hadoop URI, at their latest versions. Hadoop options given as
     * {@code -Dspark.hadoop.<key>=<value>} apply, as they do in a Spark session.
     *
     * @throws IllegalArgumentException as {@link DeltaExpertData#at} does: naming the path when either
     *         table does not exist, when {@code root} is one of the tables rather than their folder, or
     *         when a table has other columns
     * @throws KernelUnsupportedException when Kernel cannot read one of the tables
     */
    public static KernelExpertData at(String root) {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("the table path must not be blank");
        }
        requireParquetReader();
        Configuration hadoopConf = hadoopConfiguration();
        Engine engine = DefaultEngine.create(hadoopConf);
        TableRoots.requireRoot(hadoopConf, root, TableRoots.TRAJECTORIES,
                table -> sparkColumns(schema(engine, table, latest(engine, table)
                        .orElseThrow(() -> KernelUnsupportedException.reading(table, new TableNotFoundException(table))))));
        String stepsPath = TrajectoryStore.stepsPathAt(root);
        String episodesPath = TrajectoryStore.episodesPathAt(root);
        Snapshot steps = requireTable(engine, stepsPath, "steps");
        Snapshot episodes = requireTable(engine, episodesPath, "episodes");
        return new KernelExpertData(engine, stepsPath, episodesPath, steps, episodes);
    }

    /**
     * Checks that Kernel's Parquet reader can load here. It subclasses a package-private class of
     * parquet-hadoop from a class of the same package in delta-kernel-defaults, so both jars must load
     * in one class loader. Under spark-submit they do not: the application jar (Kernel inside) loads in
     * a child of the loader of Spark's jars (Parquet among them), and the reader fails with an
     * {@link IllegalAccessError} on first use.
     */
    private static void requireParquetReader() {
        String reader = "org.apache.parquet.hadoop.ParquetRecordReaderWrapper";
        try {
            Class.forName(reader, false, KernelExpertData.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new KernelUnsupportedException("Delta Kernel's Parquet reader (" + reader + ") cannot load here: " + e, e);
        }
    }

    /** A Hadoop configuration as a local Spark session's: the defaults and the {@code spark.hadoop.*} system properties. */
    private static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("spark.hadoop."))
                .forEach(key -> conf.set(key.substring("spark.hadoop.".length()), System.getProperty(key)));
        return conf;
    }

    /** The latest snapshot of the Delta table at {@code path}, or nothing when there is none. */
    private static Optional<Snapshot> latest(Engine engine, String path) {
        try {
            return Optional.of(Table.forPath(engine, path).getLatestSnapshot(engine));
        } catch (TableNotFoundException e) {
            return Optional.empty();
        } catch (KernelException | UnsupportedOperationException e) {
            throw KernelUnsupportedException.reading(path, e);
        }
    }

    private static StructType schema(Engine engine, String path, Snapshot snapshot) {
        try {
            return snapshot.getSchema(engine);
        } catch (KernelException | UnsupportedOperationException e) {
            throw KernelUnsupportedException.reading(path, e);
        }
    }

    /** Checks, as {@link TrajectoryStore#requireTables} does, that the table exists and has our columns. */
    private static Snapshot requireTable(Engine engine, String path, String name) {
        Snapshot snapshot = latest(engine, path).orElseThrow(() -> TrajectoryStore.missingTable(path, name));
        TableRoots.requireColumns(path, sparkColumns(schema(engine, path, snapshot)), TableRoots.TRAJECTORIES, name);
        return snapshot;
    }

    /** A Kernel schema as Spark's: both are the Delta log's schema JSON. */
    private static org.apache.spark.sql.types.StructType sparkColumns(StructType schema) {
        return (org.apache.spark.sql.types.StructType) DataType.fromJson(schema.toJson());
    }

    /** Where the steps table lives, named as {@link TrajectoryStore#stepsPath()} names it. */
    public String stepsPath() {
        return stepsPath;
    }

    /** Where the episodes table lives, named as {@link TrajectoryStore#episodesPath()} names it. */
    public String episodesPath() {
        return episodesPath;
    }

    /**
     * Every dataset of the tables, described (see {@link DatasetSummary}), sorted by name: the
     * datasets that have rows in both tables, as {@link DeltaExpertData#describe()}.
     *
     * @throws KernelUnsupportedException when Kernel cannot read the tables' data
     */
    public List<DatasetSummary> describe() {
        return described().summaries();
    }

    /**
     * One dataset, described.
     *
     * @throws IllegalArgumentException when there is no such dataset, naming the ones there are
     * @throws KernelUnsupportedException when Kernel cannot read the tables' data
     */
    public DatasetSummary describe(String dataset) {
        Described all = described();
        return all.summaries().stream().filter(summary -> summary.dataset().equals(dataset)).findFirst().orElseThrow(() ->
                all.datasets().contains(dataset)
                        ? new IllegalStateException("dataset '" + dataset + "' has episodes in " + episodesPath + " but no steps in " + stepsPath)
                        : DeltaExpertData.noDataset(dataset, episodesPath, all.datasets()));
    }

    private Described described() {
        if (described == null) {
            try {
                Map<String, EpisodeStatistics> perDataset = episodeStatistics();
                List<DatasetSummary> summaries = new ArrayList<>();
                for (Map.Entry<String, EpisodeStatistics> entry : perDataset.entrySet()) {
                    firstStepSizes(entry.getKey()).ifPresent(sizes -> summaries.add(entry.getValue().summary(entry.getKey(), sizes)));
                }
                described = new Described(List.copyOf(summaries), List.copyOf(perDataset.keySet()));
            } catch (KernelException | UnsupportedOperationException e) {
                throw KernelUnsupportedException.reading(stepsPath + " or " + episodesPath, e);
            }
        }
        return described;
    }

    /** The episodes table's rows aggregated per dataset, in dataset order. */
    private Map<String, EpisodeStatistics> episodeStatistics() {
        Map<String, EpisodeStatistics> perDataset = new TreeMap<>(SQL_STRING_ORDER);
        StructType columns = readSchema(episodes, "dataset", "run_id", "source", "length", "return");
        forEachBatch(episodes.getScanBuilder(engine).withReadSchema(engine, columns), batch -> {
            ColumnarBatch data = batch.getData();
            ColumnVector dataset = column(data, "dataset");
            ColumnVector runId = column(data, "run_id");
            ColumnVector source = column(data, "source");
            ColumnVector length = column(data, "length");
            ColumnVector episodeReturn = column(data, "return");
            for (int row = 0; row < data.getSize(); row++) {
                if (selected(batch, row)) {
                    perDataset.computeIfAbsent(dataset.getString(row), name -> new EpisodeStatistics())
                            .add(runId.getString(row), source.getString(row), length.getInt(row), episodeReturn.getDouble(row));
                }
            }
            return true;
        });
        return perDataset;
    }

    /**
     * The observation and action sizes of the first step row of {@code dataset} in the steps table:
     * the files of the dataset's partition only, reading two columns, until one row is found.
     */
    private Optional<int[]> firstStepSizes(String dataset) {
        StructType columns = readSchema(steps, "dataset", "obs", "action");
        Predicate inDataset = new Predicate("=", new Column("dataset"), Literal.ofString(dataset));
        int[][] sizes = new int[1][];
        forEachBatch(steps.getScanBuilder(engine).withReadSchema(engine, columns).withFilter(engine, inDataset), batch -> {
            ColumnarBatch data = batch.getData();
            ColumnVector datasets = column(data, "dataset");
            ColumnVector obs = column(data, "obs");
            ColumnVector action = column(data, "action");
            for (int row = 0; row < data.getSize(); row++) {
                // The partition filter prunes exactly; checking the value keeps this right if it did not.
                if (selected(batch, row) && dataset.equals(datasets.getString(row))) {
                    sizes[0] = new int[] {obs.getArray(row).getSize(), action.getArray(row).getSize()};
                    return false;
                }
            }
            return true;
        });
        return Optional.ofNullable(sizes[0]);
    }

    /** The named columns of a table, as its schema has them. */
    private StructType readSchema(Snapshot snapshot, String... names) {
        StructType schema = snapshot.getSchema(engine);
        StructType columns = new StructType();
        for (String name : names) {
            columns = columns.add(schema.get(name));
        }
        return columns;
    }

    private interface BatchVisitor {
        /** Visits one batch of a table's logical rows; false stops the scan. */
        boolean visit(FilteredColumnarBatch batch);
    }

    /**
     * Reads the files of a scan and hands their rows, as the table's logical rows (partition columns
     * added, deleted rows unselected), to {@code visitor} one batch at a time.
     */
    private void forEachBatch(ScanBuilder builder, BatchVisitor visitor) {
        Scan scan = builder.build();
        Row scanState = scan.getScanState(engine);
        StructType physicalColumns = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        Row file = files.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(file);
                        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                                .readParquetFiles(singletonCloseableIterator(status), physicalColumns, Optional.empty());
                        try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, file, physical)) {
                            while (logical.hasNext()) {
                                if (!visitor.visit(logical.next())) {
                                    return;
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ColumnVector column(ColumnarBatch batch, String name) {
        return batch.getColumnVector(batch.getSchema().indexOf(name));
    }

    /** Whether a row of a batch is live: deletion vectors unselect the rows they delete. */
    private static boolean selected(FilteredColumnarBatch batch, int row) {
        Optional<ColumnVector> selection = batch.getSelectionVector();
        return selection.isEmpty() || !selection.get().isNullAt(row) && selection.get().getBoolean(row);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * One dataset's episodes, aggregated as the Spark path's SQL does: distinct runs and sources,
     * counts, the return's mean (sum over count), population standard deviation (Welford's update,
     * as Spark's stddev_pop), minimum and maximum.
     */
    private static final class EpisodeStatistics {
        private final Set<String> runs = new HashSet<>();
        private final Set<String> sources = new TreeSet<>(SQL_STRING_ORDER);
        private long episodes;
        private long steps;
        private double returnSum;
        private double mean;
        private double m2;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        void add(String runId, String source, int length, double episodeReturn) {
            runs.add(runId);
            sources.add(source);
            episodes++;
            steps += length;
            returnSum += episodeReturn;
            double delta = episodeReturn - mean;
            mean += delta / episodes;
            m2 += delta * (episodeReturn - mean);
            min = Math.min(min, episodeReturn);
            max = Math.max(max, episodeReturn);
        }

        DatasetSummary summary(String dataset, int[] sizes) {
            DatasetDescription description = new DatasetDescription(Math.toIntExact(episodes), Math.toIntExact(steps), returnSum / episodes,
                    Math.sqrt(m2 / episodes), min, max);
            return new DatasetSummary(dataset, runs.size(), List.copyOf(sources), description, sizes[0], sizes[1]);
        }
    }
}
