package org.sparkbaselines.spark.delta;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Whole episodes staged by the process that assembled them (an executor's rollout worker, or the driver)
 * for a later {@link TrajectoryStore#commitStaged} on the driver. The rows are written once, as Parquet data
 * files in the run's partition folders of the two tables ({@link KernelTables#writeDataFiles}), invisible to
 * readers until committed; the staging folder holds only a manifest naming those files. It is written under
 * a temporary name and renamed, so a folder that exists is complete. Committing adds the files to the tables
 * without a Spark job or rows travelling through the driver; discarding deletes them.
 */
public final class StagedEpisodes {
    private static final String MANIFEST = "files.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StagedEpisodes() {
    }

    /**
     * What a staging folder's episodes were written as.
     *
     * @param steps the data file of the steps table
     * @param episodes the data file of the episodes table
     */
    record Manifest(KernelTables.DataFile steps, KernelTables.DataFile episodes) {
    }

    /** The staging folder of one run, inside the steps table's folder (Delta ignores names starting with '_'). */
    public static String runFolder(TrajectoryStore store, String runId) {
        return store.stepsPath() + "/_staging/" + runId;
    }

    /**
     * Writes {@code episodes} of the run as data files of the tables at {@code stepsPath} and {@code episodesPath},
     * and their manifest into the new folder {@code folder}; nothing when the list is empty.
     */
    public static void write(Configuration hadoop, String stepsPath, String episodesPath, String folder, String dataset, String runId,
            List<Episode> episodes) {
        if (episodes.isEmpty()) {
            return;
        }
        Path target = new Path(folder);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
        Timestamp createdAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<Row> steps = new ArrayList<>();
        List<Row> summaries = new ArrayList<>();
        for (Episode episode : episodes) {
            steps.addAll(TrajectoryStore.stepRows(dataset, runId, episode));
            summaries.add(TrajectoryStore.episodeRow(dataset, runId, episode, createdAt));
        }
        Manifest manifest = new Manifest(KernelTables.writeDataFiles(hadoop, stepsPath, TrajectoryStore.STEPS_SCHEMA, dataset, runId, steps),
                KernelTables.writeDataFiles(hadoop, episodesPath, TrajectoryStore.EPISODES_SCHEMA, dataset, runId, summaries));
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            fs.delete(temporary, true);
            try (OutputStream out = fs.create(new Path(temporary, MANIFEST), false)) {
                JSON.writeValue(out, manifest);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("could not rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            KernelTables.deleteFiles(hadoop, List.of(manifest.steps(), manifest.episodes()));
            throw new UncheckedIOException("staging episodes in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The manifests of the folders. */
    static List<Manifest> manifests(Configuration hadoop, List<String> folders) {
        List<Manifest> manifests = new ArrayList<>();
        try {
            for (String folder : folders) {
                Path file = new Path(folder, MANIFEST);
                try (InputStream in = file.getFileSystem(hadoop).open(file)) {
                    manifests.add(JSON.readValue(in, Manifest.class));
                }
            }
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException("reading staged episodes: " + e.getMessage(), e);
        }
    }

    /** Deletes the folders (their files committed, or discarded). */
    static void delete(Configuration hadoop, List<String> folders) {
        try {
            for (String folder : folders) {
                Path path = new Path(folder);
                path.getFileSystem(hadoop).delete(path, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting staged episodes: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a run's staging folder with everything left in it: the folders of attempts the driver discarded,
     * whose data files are deleted first, since no commit will ever name them.
     */
    public static void deleteRun(SparkSession spark, TrajectoryStore store, String runId) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String run = runFolder(store, runId);
        List<String> left = list(spark, store, runId).stream().map(name -> run + "/" + name).toList();
        for (Manifest manifest : manifests(hadoop, left)) {
            KernelTables.deleteFiles(hadoop, List.of(manifest.steps(), manifest.episodes()));
        }
        delete(hadoop, List.of(run));
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
}
