package org.sparkbaselines.spark.delta;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * One batch of whole episodes written by the process that assembled them (an executor's rollout worker, or
 * the driver) as Parquet data files of the two trajectory tables ({@link KernelTables#writeDataFiles}),
 * invisible to readers until {@link TrajectoryStore#commitStaged} adds them on the driver. The value itself
 * is what the commit needs, and it is small, so the writer hands it to the driver with its result (a worker
 * inside its fragment): no rows travel, and no file beyond the data files is written or read.
 *
 * <p>A recording writes its files into a folder of its own inside the run's partition folders
 * ({@link #folder}), so the files a recording wrote but never committed (those of task attempts whose result
 * was discarded) can be told apart from every other file of the partition and deleted at its end
 * ({@link #deleteUncommitted}).
 */
public final class StagedEpisodes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final KernelTables.DataFile steps;
    private final KernelTables.DataFile episodes;

    /** No episodes: nothing was written. */
    private static final StagedEpisodes NONE = new StagedEpisodes(null, null);

    private StagedEpisodes(KernelTables.DataFile steps, KernelTables.DataFile episodes) {
        this.steps = steps;
        this.episodes = episodes;
    }

    /** The folder, inside each table's partition folder of the run, where the recording {@code recordingId} writes. */
    public static String folder(String recordingId) {
        return "recording-" + recordingId;
    }

    /**
     * Writes {@code episodes} of the run as one data file per table, at {@code stepsPath} and {@code episodesPath},
     * in the recording's folder; nothing when the list is empty.
     */
    public static StagedEpisodes write(Configuration hadoop, String stepsPath, String episodesPath, String recordingId, String dataset,
            String runId, List<Episode> episodes) {
        if (episodes.isEmpty()) {
            return NONE;
        }
        Timestamp createdAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<Row> steps = new ArrayList<>();
        List<Row> summaries = new ArrayList<>();
        for (Episode episode : episodes) {
            steps.addAll(TrajectoryStore.stepRows(dataset, runId, episode));
            summaries.add(TrajectoryStore.episodeRow(dataset, runId, episode, createdAt));
        }
        String folder = folder(recordingId);
        KernelTables.DataFile stepsFile = KernelTables.writeDataFiles(hadoop, stepsPath, folder, TrajectoryStore.STEPS_SCHEMA, dataset, runId,
                steps);
        try {
            return new StagedEpisodes(stepsFile,
                    KernelTables.writeDataFiles(hadoop, episodesPath, folder, TrajectoryStore.EPISODES_SCHEMA, dataset, runId, summaries));
        } catch (RuntimeException e) {
            KernelTables.deleteFiles(hadoop, List.of(stepsFile));
            throw e;
        }
    }

    KernelTables.DataFile steps() {
        return steps;
    }

    KernelTables.DataFile episodes() {
        return episodes;
    }

    /** Whether the batch holds no episode (and no file). */
    public boolean isEmpty() {
        return episodes == null;
    }

    /** The number of episodes in the batch. */
    public long episodeCount() {
        return isEmpty() ? 0 : episodes.rows();
    }

    /**
     * Deletes the files the recording {@code recordingId} wrote for the run into the tables at {@code stepsPath}
     * and {@code episodesPath} that are not in the {@code committed} batches, with the recording's folders when
     * nothing is left in them.
     */
    public static void deleteUncommitted(Configuration hadoop, String stepsPath, String episodesPath, String recordingId, String dataset,
            String runId, Collection<StagedEpisodes> committed) {
        Set<String> kept = new HashSet<>();
        for (StagedEpisodes batch : committed) {
            if (batch.isEmpty()) {
                continue;
            }
            kept.add(new Path(batch.steps.path()).toUri().getPath());
            kept.add(new Path(batch.episodes.path()).toUri().getPath());
        }
        for (String table : List.of(stepsPath, episodesPath)) {
            Path folder = KernelTables.writeFolder(table, folder(recordingId), dataset, runId);
            try {
                FileSystem fs = folder.getFileSystem(hadoop);
                if (!fs.exists(folder)) {
                    continue;
                }
                boolean empty = true;
                for (FileStatus file : fs.listStatus(folder)) {
                    if (kept.contains(file.getPath().toUri().getPath())) {
                        empty = false;
                    } else {
                        fs.delete(file.getPath(), true);
                    }
                }
                if (empty) {
                    fs.delete(folder, true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("deleting uncommitted files in " + folder + ": " + e.getMessage(), e);
            }
        }
    }
}
