package org.sparkbaselines.spark.rollout;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkbaselines.algos.OffPolicyAlgorithm;

/**
 * A warm start from logged data: an off-policy model's replay buffer filled from the rows of a trajectory table's
 * {@code steps} (recorded training, expert generation, evaluation), oldest first by run, episode and step, so a buffer
 * smaller than the selection keeps its newest transitions. The rows stream to the driver a partition at a time; a
 * selection larger than the driver's memory passes through, keeping only what the buffer holds.
 */
public final class ReplayWarmStart {

    /**
     * @param added transitions stored
     * @param skipped steps without a next observation (the last step of an episode cut when its worker moved), which a
     *     transition cannot be made of
     */
    public record Result(long added, long skipped) {
    }

    private ReplayWarmStart() {
    }

    /**
     * Adds every step of {@code steps} (a selection of a steps table) to the model's replay buffer as a logged
     * transition, its action as the env got it ({@link OffPolicyAlgorithm#addLoggedTransition}).
     *
     * @throws IllegalArgumentException naming the run, episode and step of a row whose observation or action does not
     *     fit the model's spaces, or holds a value that is not finite
     */
    public static Result fill(OffPolicyAlgorithm<?> model, Dataset<Row> steps) {
        Iterator<Row> rows = steps.select("run_id", "episode_id", "t", "obs", "action", "reward", "next_obs", "terminated", "truncated")
                .orderBy("run_id", "episode_id", "t").toLocalIterator();
        long added = 0;
        long skipped = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.isNullAt(6)) {
                skipped++;
                continue;
            }
            try {
                model.addLoggedTransition(floats(row, 3), floats(row, 4), (float) row.getDouble(5), floats(row, 6), row.getBoolean(7),
                        row.getBoolean(8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("step " + row.getInt(2) + " of episode " + row.getLong(1) + " of run '" + row.getString(0)
                        + "': " + e.getMessage(), e);
            }
            added++;
        }
        return new Result(added, skipped);
    }

    private static float[] floats(Row row, int index) {
        List<Float> values = row.getList(index);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Float v = values.get(i);
            out[i] = v == null ? Float.NaN : v;
        }
        return out;
    }
}
