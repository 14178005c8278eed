package org.sparkbaselines.spark.delta;

import static io.delta.kernel.internal.util.Utils.singletonCloseableIterator;
import static io.delta.kernel.internal.util.Utils.toCloseableIterator;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.types.DataTypes;

/**
 * Appends to a trajectory table (partitioned by {@code dataset} and {@code run_id}) through Delta Kernel,
 * without Spark jobs: whoever holds the rows writes them as Parquet data files into the run's partition
 * folder ({@link #writeDataFiles}, on an executor or the driver), and the driver adds the files to the
 * table in one commit ({@link #commit}), creating the table when it does not exist. Files written but
 * never committed are invisible to readers; their writer's owner deletes them ({@link #deleteFiles}).
 */
final class KernelTables {
    private static final String ENGINE_INFO = "spark-baselines";
    /** Commits lost to a concurrent writer are retried this many times. */
    private static final int COMMIT_ATTEMPTS = 10;

    private KernelTables() {
    }

    /** Kernel cannot read or commit to the table (a feature or protocol it lacks, or it cannot load here); Spark can. */
    static final class KernelCannotException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KernelCannotException(String table, Throwable cause) {
            super("Delta Kernel cannot use " + table + ": " + cause, cause);
        }
    }

    /** The data files' layout of each table schema, worked out once per JVM (a worker writes files after every fragment). */
    private static final Map<org.apache.spark.sql.types.StructType, Layout> LAYOUTS = new ConcurrentHashMap<>();

    /**
     * What a table's data files hold: its columns without the partition columns, which Delta keeps in the log.
     *
     * @param physical the files' columns, in Kernel's types
     * @param fieldIndex for each of them, its index among the table's columns (and a row's fields)
     */
    private record Layout(StructType physical, int[] fieldIndex) {
        static Layout of(org.apache.spark.sql.types.StructType schema) {
            StructType physical = new StructType();
            List<Integer> indexes = new ArrayList<>();
            org.apache.spark.sql.types.StructField[] fields = schema.fields();
            for (int i = 0; i < fields.length; i++) {
                if (!TrajectoryStore.PARTITION_COLUMNS.contains(fields[i].name())) {
                    physical = physical.add(fields[i].name(), kernelType(fields[i].dataType()), fields[i].nullable());
                    indexes.add(i);
                }
            }
            return new Layout(physical, indexes.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /**
     * A data file written for a table and not committed yet: what the commit needs of it.
     *
     * @param path the file's fully qualified path
     */
    record DataFile(String path, long size, long modificationTime, long rows) implements Serializable {
    }

    /**
     * Writes {@code rows} (in {@code schema}, the table's columns) of one run as one Parquet file into the folder
     * {@code folder} of the run's partition folder of the table at {@code tablePath} ({@link #writeFolder}).
     */
    static DataFile writeDataFiles(Configuration hadoop, String tablePath, String folder, org.apache.spark.sql.types.StructType schema,
            String dataset, String runId, List<org.apache.spark.sql.Row> rows) {
        Layout layout = LAYOUTS.computeIfAbsent(schema, Layout::of);
        String directory = writeFolder(tablePath, folder, dataset, runId).toString();
        KernelRows batch = new KernelRows(layout.physical(), rows, layout.fieldIndex());
        try (CloseableIterator<DataFileStatus> written = engine(hadoop).getParquetHandler().writeParquetFiles(directory,
                singletonCloseableIterator(new FilteredColumnarBatch(batch, Optional.empty())), List.of())) {
            DataFileStatus file = written.next();
            return new DataFile(file.getPath(), file.getSize(), file.getModificationTime(), rows.size());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + rows.size() + " rows into " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code files} of one run to the table at {@code tablePath} in one commit (creating the table with
     * {@code schema} and the trajectory tables' partition columns when it does not exist), retrying when another
     * writer committed first.
     *
     * @throws KernelCannotException when Kernel cannot write to the table (Spark may)
     */
    static void commit(Configuration hadoop, String tablePath, org.apache.spark.sql.types.StructType schema, String dataset, String runId,
            List<DataFile> files) {
        if (files.isEmpty()) {
            return;
        }
        Engine engine = engine(hadoop);
        Map<String, Literal> partition = new LinkedHashMap<>();
        partition.put("dataset", Literal.ofString(dataset));
        partition.put("run_id", Literal.ofString(runId));
        for (int attempt = 1; ; attempt++) {
            try {
                Transaction transaction = transaction(engine, tablePath, schema);
                Row state = transaction.getTransactionState(engine);
                DataWriteContext context = Transaction.getWriteContext(engine, state, partition);
                List<DataFileStatus> statuses = files.stream()
                        .map(file -> new DataFileStatus(file.path(), file.size(), file.modificationTime(), Optional.empty())).toList();
                List<Row> actions = new ArrayList<>();
                try (CloseableIterator<Row> generated = Transaction.generateAppendActions(engine, state, toCloseableIterator(statuses.iterator()), context)) {
                    generated.forEachRemaining(actions::add);
                }
                transaction.commit(engine, CloseableIterable.inMemoryIterable(toCloseableIterator(actions.iterator())));
                return;
            } catch (ConcurrentWriteException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw new IllegalStateException(tablePath + ": " + COMMIT_ATTEMPTS + " commits in a row lost to concurrent writers", e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(tablePath + ": " + e.getMessage(), e);
            } catch (KernelException | UnsupportedOperationException | LinkageError e) {
                throw new KernelCannotException(tablePath, e);
            }
        }
    }

    /**
     * The columns of the Delta table at {@code tablePath} (in Spark's types), or empty when there is no table.
     *
     * @throws KernelCannotException when Kernel cannot read the table's log (Spark may)
     */
    static Optional<org.apache.spark.sql.types.StructType> columns(Configuration hadoop, String tablePath) {
        Engine engine = engine(hadoop);
        try {
            StructType schema = Table.forPath(engine, tablePath).getLatestSnapshot(engine).getSchema(engine);
            return Optional.of((org.apache.spark.sql.types.StructType) org.apache.spark.sql.types.DataType.fromJson(schema.toJson()));
        } catch (TableNotFoundException e) {
            return Optional.empty();
        } catch (KernelException | UnsupportedOperationException | LinkageError e) {
            throw new KernelCannotException(tablePath, e);
        }
    }

    /** Deletes data files that will never be committed. */
    static void deleteFiles(Configuration hadoop, List<DataFile> files) {
        try {
            for (DataFile file : files) {
                Path path = new Path(file.path());
                path.getFileSystem(hadoop).delete(path, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting uncommitted data files: " + e.getMessage(), e);
        }
    }

    /** An append to the table, or its creation when there is none yet. */
    private static Transaction transaction(Engine engine, String tablePath, org.apache.spark.sql.types.StructType schema) throws IOException {
        Table table = Table.forPath(engine, tablePath);
        boolean exists;
        try {
            table.getLatestSnapshot(engine);
            exists = true;
        } catch (TableNotFoundException e) {
            exists = false;
        }
        TransactionBuilder builder = table.createTransactionBuilder(engine, ENGINE_INFO, exists ? Operation.WRITE : Operation.CREATE_TABLE);
        if (!exists) {
            StructType logical = new StructType();
            for (org.apache.spark.sql.types.StructField field : schema.fields()) {
                logical = logical.add(field.name(), kernelType(field.dataType()), field.nullable());
            }
            builder = builder.withSchema(engine, logical).withPartitionColumns(engine, TrajectoryStore.PARTITION_COLUMNS);
        }
        return builder.build(engine);
    }

    /**
     * The folder {@code folder} inside the run's partition folder of the table: Delta's log names data files by
     * their path relative to the table, so they may sit below the partition folder.
     */
    static Path writeFolder(String tablePath, String folder, String dataset, String runId) {
        return new Path(new Path(new Path(tablePath, partitionFolder("dataset", dataset)), partitionFolder("run_id", runId)), folder);
    }

    /** {@code name=value}, escaped as Spark names partition folders. */
    private static String partitionFolder(String name, String value) {
        return name + "=" + ExternalCatalogUtils.escapePathName(value);
    }

    private static DataType kernelType(org.apache.spark.sql.types.DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return StringType.STRING;
        } else if (type.equals(DataTypes.LongType)) {
            return LongType.LONG;
        } else if (type.equals(DataTypes.IntegerType)) {
            return IntegerType.INTEGER;
        } else if (type.equals(DataTypes.DoubleType)) {
            return DoubleType.DOUBLE;
        } else if (type.equals(DataTypes.FloatType)) {
            return FloatType.FLOAT;
        } else if (type.equals(DataTypes.BooleanType)) {
            return BooleanType.BOOLEAN;
        } else if (type.equals(DataTypes.TimestampType)) {
            return TimestampType.TIMESTAMP;
        } else if (type instanceof org.apache.spark.sql.types.ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
            return new ArrayType(FloatType.FLOAT, array.containsNull());
        }
        throw new IllegalArgumentException("no Delta Kernel type for column type " + type);
    }

    /** Kernel's default engine on the Hadoop configuration (cheap to make: it holds the file system handlers). */
    private static Engine engine(Configuration hadoop) {
        return DefaultEngine.create(hadoop);
    }
}
