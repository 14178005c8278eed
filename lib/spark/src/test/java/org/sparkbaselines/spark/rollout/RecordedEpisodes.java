package org.sparkbaselines.spark.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/** Checks recorded training episodes step by step: each one env's own contiguous trajectory. */
public final class RecordedEpisodes {
    /** CartPole's Euler step: {@code x' = x + tau * x_dot} and {@code theta' = theta + tau * theta_dot}. */
    private static final float TAU = 0.02f;

    private RecordedEpisodes() {
    }

    /**
     * Asserts that every Parquet file under the run's partition folders of both tables is one the table
     * holds: no file of a discarded task attempt is left behind.
     */
    public static void assertNoUncommittedFiles(TrajectoryStore store, String runId) throws IOException {
        String run = "run_id=" + runId;
        for (var table : List.of(Map.entry(store.stepsPath(), store.steps()), Map.entry(store.episodesPath(), store.episodes()))) {
            long onDisk;
            try (var files = Files.walk(Path.of(new org.apache.hadoop.fs.Path(table.getKey()).toUri().getPath()))) {
                onDisk = files.filter(f -> f.getFileName().toString().endsWith(".parquet") && f.toString().contains("/" + run + "/")).count();
            }
            assertEquals(table.getValue().where("run_id = '" + runId + "'").inputFiles().length, onDisk,
                    "every data file of the run in " + table.getKey() + " is in the table");
        }
    }

    /**
     * Asserts that each recorded episode of the run is {@code t = 0 .. length-1}, at most 500 steps, each
     * observation the CartPole successor of the one before, ends (terminated or truncated) at its last
     * step only, and matches its episodes row.
     */
    public static void assertContiguousCartPoleEpisodes(TrajectoryStore store, String runId) {
        assertContiguousEpisodes(store, runId, 500, (before, now, what) -> {
            assertEquals(before[0] + TAU * before[1], now[0], 1e-5f, what + ": x");
            assertEquals(before[2] + TAU * before[3], now[2], 1e-5f, what + ": theta");
        });
    }

    /**
     * As {@link #assertContiguousCartPoleEpisodes} for Pendulum-v1 (200 steps at most): each angle
     * {@code atan2(sin, cos)} is the one before plus the new angular velocity times {@code dt = 0.05}.
     */
    public static void assertContiguousPendulumEpisodes(TrajectoryStore store, String runId) {
        assertContiguousEpisodes(store, runId, 200, (before, now, what) -> {
            double turned = Math.atan2(now[1], now[0]) - Math.atan2(before[1], before[0]) - 0.05 * now[2];
            assertEquals(0, Math.IEEEremainder(turned, 2 * Math.PI), 1e-4, what + ": theta");
        });
    }

    /** Checks that {@code now} is the observation that follows {@code before} in one env. */
    private interface Successor {
        void check(float[] before, float[] now, String what);
    }

    private static void assertContiguousEpisodes(TrajectoryStore store, String runId, int maxLength, Successor successor) {
        List<Row> steps = store.steps().where("run_id = '" + runId + "'").select("episode_id", "t", "obs", "terminated", "truncated")
                .orderBy("episode_id", "t").collectAsList();
        Map<Long, Integer> lengths = new HashMap<>();
        store.episodes().where("run_id = '" + runId + "'").select("episode_id", "length").collectAsList()
                .forEach(row -> lengths.put(row.getLong(0), row.getInt(1)));
        assertFalse(steps.isEmpty(), "no steps recorded");
        int episodes = 0;
        for (int start = 0; start < steps.size(); ) {
            long id = steps.get(start).getLong(0);
            int end = start;
            while (end < steps.size() && steps.get(end).getLong(0) == id) {
                end++;
            }
            String what = "episode " + id;
            assertNotNull(lengths.get(id), what + " has no episodes row");
            assertEquals((int) lengths.get(id), end - start, what + ": steps");
            assertTrue(end - start <= maxLength, what + ": the env ends every episode by step " + maxLength + ", got " + (end - start));
            for (int i = start; i < end; i++) {
                Row step = steps.get(i);
                assertEquals(i - start, step.getInt(1), what + ": t");
                boolean ends = step.getBoolean(3) || step.getBoolean(4);
                assertEquals(i == end - 1, ends, what + ": ends at its last step only (t = " + step.getInt(1) + ")");
                if (i > start) {
                    successor.check(obs(steps.get(i - 1)), obs(step), what + " at t = " + step.getInt(1));
                }
            }
            episodes++;
            start = end;
        }
        assertEquals(lengths.size(), episodes, "episodes rows without steps");
    }

    private static float[] obs(Row step) {
        List<Float> values = step.getList(2);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
