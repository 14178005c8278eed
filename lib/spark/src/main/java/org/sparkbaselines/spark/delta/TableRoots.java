package org.sparkbaselines.spark.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkbaselines.spark.evaluation.BatchEvaluation;

/**
 * The folders users pass for a group of Delta tables — the trajectory tables {@code <root>/steps} and
 * {@code <root>/episodes}, the evaluation results {@code <root>/episodes} and {@code <root>/summary} —
 * checked before Delta sees them. Given one of the tables instead of their folder, or a folder inside
 * a table, Delta would fail with a partition-path error; given a table of another kind, with a schema
 * error. These checks say instead which folder to pass and what was found, recognising our tables by
 * their columns.
 */
public final class TableRoots {

    /**
     * A group of tables kept under one folder.
     *
     * @param description how messages name the group, e.g. "trajectory tables"
     * @param tables each table's sub-folder name and columns, in order
     */
    public record TableGroup(String description, Map<String, StructType> tables) {
        /** How messages point at the folder: "the folder that holds steps/ and episodes/". */
        String folderHint() {
            return "the folder that holds " + String.join(" and ", tables.keySet().stream().map(name -> name + "/").toList());
        }
    }

    /** The trajectory tables of {@link TrajectoryStore}. */
    public static final TableGroup TRAJECTORIES = group("trajectory tables",
            "steps", TrajectoryStore.STEPS_SCHEMA, "episodes", TrajectoryStore.EPISODES_SCHEMA);
    /** The result tables of {@link BatchEvaluation}. */
    public static final TableGroup EVALUATION = group("evaluation results",
            "episodes", BatchEvaluation.EPISODES_SCHEMA, "summary", BatchEvaluation.SUMMARY_SCHEMA);
    private static final List<TableGroup> GROUPS = List.of(TRAJECTORIES, EVALUATION);
    private static final String DELTA_LOG = "_delta_log";

    private TableRoots() {
    }

    private static TableGroup group(String description, String first, StructType firstSchema, String second, StructType secondSchema) {
        Map<String, StructType> tables = new LinkedHashMap<>();
        tables.put(first, firstSchema);
        tables.put(second, secondSchema);
        return new TableGroup(description, tables);
    }

    /**
     * Checks that {@code root} (any Hadoop path or URI; it need not exist) can be the folder of
     * {@code group}: it is not itself a Delta table, nor a folder inside one.
     *
     * @throws IllegalArgumentException naming what the path is and which folder to pass instead
     */
    public static void requireRoot(SparkSession spark, String root, TableGroup group) {
        requireRoot(spark.sparkContext().hadoopConfiguration(), root, group,
                table -> spark.read().format("delta").load(table).schema());
    }

    /**
     * {@link #requireRoot(SparkSession, String, TableGroup)} without Spark: the file system is
     * {@code hadoopConf}'s, and {@code columnsOf} reads the columns of the Delta table at a path
     * (called only when {@code root} is, or is inside, a Delta table).
     */
    public static void requireRoot(Configuration hadoopConf, String root, TableGroup group, Function<String, StructType> columnsOf) {
        try {
            Path path = new Path(root);
            FileSystem fs = path.getFileSystem(hadoopConf);
            Path qualified = fs.makeQualified(path);
            for (Path table = qualified; table != null; table = table.getParent()) {
                if (fs.exists(new Path(table, DELTA_LOG))) {
                    String what = root + (table.equals(qualified) ? " is " : " is inside ");
                    throw new IllegalArgumentException(what + misplacedRootAdvice(columnsOf.apply(table.toString()), table, group));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** What the Delta table at {@code table}, of these columns, is, and which folder to pass instead. */
    private static String misplacedRootAdvice(StructType columns, Path table, TableGroup group) {
        StructType sameGroupTable = group.tables().get(table.getName());
        if (sameGroupTable != null && sameColumns(columns, sameGroupTable) && table.getParent() != null) {
            String parent = display(table.getParent());
            return "the " + table.getName() + " table of the " + group.description() + " at " + parent + ": pass " + parent + ", "
                    + group.folderHint();
        }
        return "a Delta table with " + describe(columns) + ", not a folder of " + group.description() + ": pass " + group.folderHint();
    }

    /**
     * Checks that the existing Delta table at {@code path}, the {@code name} table of {@code group}, has
     * its columns (nullability aside: Delta may relax it).
     *
     * @throws IllegalArgumentException naming what the table is, by its columns, and what it should be
     */
    public static void requireColumns(String path, StructType actual, TableGroup group, String name) {
        StructType expected = group.tables().get(name);
        if (!sameColumns(actual, expected)) {
            Path table = new Path(path);
            throw new IllegalArgumentException("the Delta table at " + display(table) + " has " + describe(actual) + ", not those of the "
                    + name + " table of " + group.description() + " (" + expected.toDDL() + "): pass another folder than "
                    + display(table.getParent()));
        }
    }

    /** A table's columns for messages: those of one of our tables, by name, or their list. */
    private static String describe(StructType columns) {
        for (TableGroup group : GROUPS) {
            for (Map.Entry<String, StructType> known : group.tables().entrySet()) {
                if (sameColumns(columns, known.getValue())) {
                    return "the columns of the " + known.getKey() + " table of " + group.description();
                }
            }
        }
        return "columns " + columns.toDDL();
    }

    /** A path as users typed it: local paths without the {@code file:} scheme Hadoop qualifies them with. */
    private static String display(Path path) {
        return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
    }

    /** Same column names and types in the same order, nullability aside. */
    private static boolean sameColumns(StructType actual, StructType expected) {
        if (actual.fields().length != expected.fields().length) {
            return false;
        }
        for (int i = 0; i < expected.fields().length; i++) {
            StructField a = actual.fields()[i];
            StructField e = expected.fields()[i];
            if (!a.name().equals(e.name()) || !DataType.equalsIgnoreNullability(a.dataType(), e.dataType())) {
                return false;
            }
        }
        return true;
    }
}
