package org.sparkbaselines.spark.evaluation;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sparkbaselines.spark.delta.TableSchemas;

/**
 * Where the batch evaluation finds its models — a directory of {@code *.zip} files, searched
 * recursively, or a Delta table listing them — and how a task gets a model file it can open. Paths
 * go through Hadoop's file systems, so models can live on a local disk (local mode, or a folder every
 * node mounts), HDFS or an object store ({@code s3a://}, {@code abfss://}, ...).
 */
public final class SavedModels {
    /** The column of a model list table. */
    public static final String MODEL_PATH = "model_path";
    /** A model list table's schema: one row per model, {@value #MODEL_LIST_DDL}. */
    public static final String MODEL_LIST_DDL = "model_path STRING NOT NULL";
    /** {@link #MODEL_LIST_DDL} as a schema. */
    public static final StructType MODEL_LIST_SCHEMA = TableSchemas.fromDdl(MODEL_LIST_DDL);

    private static final String MODEL_SUFFIX = ".zip";

    private SavedModels() {
    }

    /**
     * The models at {@code location}, sorted by path: every {@code *.zip} below it if it is a directory,
     * or the distinct {@value #MODEL_PATH} values if it is a Delta table (relative paths there are
     * resolved against the working directory).
     *
     * @throws IllegalArgumentException when the location does not exist, is neither, or holds no model
     */
    public static List<SavedModel> find(SparkSession spark, String location) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<SavedModel> models = DeltaTable.isDeltaTable(spark, location) ? listed(spark, location, hadoop) : inDirectory(location, hadoop);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no models at " + location + ": expected *" + MODEL_SUFFIX
                    + " files below a directory, or a Delta table with a column " + MODEL_LIST_DDL);
        }
        return models;
    }

    private static List<SavedModel> listed(SparkSession spark, String table, Configuration hadoop) throws IOException {
        Dataset<Row> list = spark.read().format("delta").load(table);
        StructType schema = list.schema();
        if (!Arrays.asList(schema.fieldNames()).contains(MODEL_PATH)) {
            throw new IllegalArgumentException("the Delta table at " + table + " lists no models: it has columns " + schema.toDDL()
                    + " but needs " + MODEL_LIST_DDL);
        }
        // Deduplicated after qualifying, so "/m/a.zip" and "file:/m/a.zip" are one model.
        Map<String, SavedModel> models = new TreeMap<>();
        for (Row row : list.select(MODEL_PATH).where(col(MODEL_PATH).isNotNull()).distinct().collectAsList()) {
            org.apache.hadoop.fs.Path path = qualified(new org.apache.hadoop.fs.Path(row.getString(0)), hadoop);
            models.putIfAbsent(path.toString(), new SavedModel(path.toString(), stem(path.getName())));
        }
        return new ArrayList<>(models.values());
    }

    private static List<SavedModel> inDirectory(String directory, Configuration hadoop) throws IOException {
        org.apache.hadoop.fs.Path root = qualified(new org.apache.hadoop.fs.Path(directory), hadoop);
        FileSystem fs = root.getFileSystem(hadoop);
        if (!fs.exists(root)) {
            throw new IllegalArgumentException("no models at " + directory + ": it does not exist");
        }
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new IllegalArgumentException(directory + " is neither a directory of models nor a Delta table listing them");
        }
        URI base = root.toUri();
        List<SavedModel> models = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
        while (files.hasNext()) {
            org.apache.hadoop.fs.Path file = files.next().getPath();
            if (file.getName().endsWith(MODEL_SUFFIX)) {
                models.add(new SavedModel(file.toString(), stem(base.relativize(file.toUri()).getPath())));
            }
        }
        models.sort(Comparator.comparing(SavedModel::path));
        return models;
    }

    private static org.apache.hadoop.fs.Path qualified(org.apache.hadoop.fs.Path path, Configuration hadoop) throws IOException {
        return path.getFileSystem(hadoop).makeQualified(path);
    }

    /** {@code path} with its file system's scheme and, when relative, the working directory: {@code results} becomes {@code file:/home/me/results}. */
    static String qualified(String path, Configuration hadoop) throws IOException {
        return qualified(new org.apache.hadoop.fs.Path(path), hadoop).toString();
    }

    private static String stem(String name) {
        return name.endsWith(MODEL_SUFFIX) ? name.substring(0, name.length() - MODEL_SUFFIX.length()) : name;
    }

    /**
     * A local file holding the model at {@code path} (a qualified Hadoop path): the file itself when it
     * is on the local file system, else a temporary copy that {@link LocalModelFile#close()} deletes.
     * Model loading reads {@link java.nio.file.Path}s, so remote models are copied once per task.
     */
    static LocalModelFile open(String path, Configuration hadoop) throws IOException {
        org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(path);
        URI uri = model.toUri();
        if ("file".equals(uri.getScheme())) {
            Path local = Paths.get(uri);
            if (!Files.isRegularFile(local)) {
                // A listed model that is gone, or only on the driver's machine: say so, not just its path.
                throw new NoSuchFileException(local.toString(), null, "no such model file on this machine");
            }
            return new LocalModelFile(local, false);
        }
        Path copy = Files.createTempFile("sb-model-", MODEL_SUFFIX);
        try (InputStream in = model.getFileSystem(hadoop).open(model)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return new LocalModelFile(copy, true);
    }

    /** A model file on this machine's disk; a temporary copy is deleted on close. */
    record LocalModelFile(Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }
}
