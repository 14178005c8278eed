package org.sparkbaselines.spark.delta;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Whole episodes staged by the process that assembled them (an executor's rollout worker) for a
 * later {@link TrajectoryStore#commitStaged} on the driver: a folder holding the step rows and the
 * episode rows as JSON lines, in the tables' own schemas. Written under a temporary name and renamed,
 * so a folder that exists is complete; what commits it reads it on the executors, so recorded rows
 * never travel through the driver.
 */
public final class StagedEpisodes {
    static final String STEPS = "steps.json";
    static final String EPISODES = "episodes.json";
    private static final JsonFactory JSON = new JsonFactory();
    /** What Spark's JSON reader parses by default ({@code yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]}). */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private StagedEpisodes() {
    }

    /** The staging folder of one run, inside the steps table's folder (Delta ignores names starting with '_'). */
    public static String runFolder(TrajectoryStore store, String runId) {
        return store.stepsPath() + "/_staging/" + runId;
    }

    /** Writes {@code episodes} of the run into the new folder {@code folder}; nothing when the list is empty. */
    public static void write(Configuration hadoop, String folder, String dataset, String runId, List<Episode> episodes) {
        if (episodes.isEmpty()) {
            return;
        }
        Path target = new Path(folder);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
        Timestamp createdAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            fs.delete(temporary, true);
            writeRows(fs, new Path(temporary, STEPS), TrajectoryStore.STEPS_SCHEMA,
                    episodes.stream().flatMap(e -> TrajectoryStore.stepRows(dataset, runId, e).stream()));
            writeRows(fs, new Path(temporary, EPISODES), TrajectoryStore.EPISODES_SCHEMA,
                    episodes.stream().map(e -> TrajectoryStore.episodeRow(dataset, runId, e, createdAt)));
            if (!fs.rename(temporary, target)) {
                throw new IOException("could not rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("staging episodes in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The rows of one file kind ({@link #STEPS} or {@link #EPISODES}) of the folders, in the table's schema. */
    static Dataset<Row> read(SparkSession spark, List<String> folders, String file, StructType schema) {
        String[] paths = folders.stream().map(folder -> folder + "/" + file).toArray(String[]::new);
        return spark.read().schema(schema).option("mode", "FAILFAST").json(paths);
    }

    /** Deletes the folders (committed, or never to be committed). */
    static void delete(SparkSession spark, List<String> folders) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try {
            for (String folder : folders) {
                Path path = new Path(folder);
                path.getFileSystem(hadoop).delete(path, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting staged episodes: " + e.getMessage(), e);
        }
    }

    /** Deletes a run's staging folder with everything left in it (attempts the driver discarded). */
    public static void deleteRun(SparkSession spark, TrajectoryStore store, String runId) {
        delete(spark, List.of(runFolder(store, runId)));
    }

    /** The staged folders of the run that exist now, by name. */
    public static List<String> list(SparkSession spark, TrajectoryStore store, String runId) {
        Path run = new Path(runFolder(store, runId));
        try {
            FileSystem fs = run.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(run)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(run)).filter(s -> s.isDirectory() && !s.getPath().getName().startsWith("."))
                    .map(s -> s.getPath().getName()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing staged episodes in " + run + ": " + e.getMessage(), e);
        }
    }

    /** Writes the rows as JSON lines, one episode's rows at a time (a batch's rows are never all in memory). */
    private static void writeRows(FileSystem fs, Path file, StructType schema, Stream<Row> rows) throws IOException {
        try (JsonGenerator out = JSON.createGenerator((OutputStream) fs.create(file, false), JsonEncoding.UTF8)) {
            out.setRootValueSeparator(new SerializedString("\n"));
            for (Row row : (Iterable<Row>) rows::iterator) {
                out.writeStartObject();
                StructField[] fields = schema.fields();
                for (int i = 0; i < fields.length; i++) {
                    if (!row.isNullAt(i)) {
                        out.writeFieldName(fields[i].name());
                        writeValue(out, fields[i].dataType(), row.get(i));
                    }
                }
                out.writeEndObject();
            }
        }
    }

    private static void writeValue(JsonGenerator out, DataType type, Object value) throws IOException {
        if (type.equals(DataTypes.StringType)) {
            out.writeString((String) value);
        } else if (type.equals(DataTypes.LongType)) {
            out.writeNumber((Long) value);
        } else if (type.equals(DataTypes.IntegerType)) {
            out.writeNumber((Integer) value);
        } else if (type.equals(DataTypes.DoubleType)) {
            out.writeNumber((Double) value);
        } else if (type.equals(DataTypes.FloatType)) {
            out.writeNumber((Float) value);
        } else if (type.equals(DataTypes.BooleanType)) {
            out.writeBoolean((Boolean) value);
        } else if (type.equals(DataTypes.TimestampType)) {
            out.writeString(TIMESTAMP.format(((Timestamp) value).toInstant()));
        } else if (type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
            float[] values = (float[]) value;
            out.writeStartArray();
            for (float v : values) {
                out.writeNumber(v);
            }
            out.writeEndArray();
        } else {
            throw new IllegalArgumentException("no JSON staging for column type " + type);
        }
    }
}
