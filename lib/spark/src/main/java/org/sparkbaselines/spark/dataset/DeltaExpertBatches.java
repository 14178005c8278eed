package org.sparkbaselines.spark.dataset;

import static org.apache.spark.sql.functions.rand;

import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkbaselines.imitation.Batch;
import org.sparkbaselines.imitation.ExpertBatches;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * GAIL's expert batches streamed from the trajectory tables: each pass over the selected steps is a fresh seeded
 * random order ({@code ORDER BY rand(seed + pass)}), brought to the driver one partition at a time
 * ({@code toLocalIterator}), so the driver holds a partition of steps, never the dataset: an expert set larger than
 * its memory works. A step whose action is not in the action space is an error naming its run, episode and step.
 */
public final class DeltaExpertBatches implements ExpertBatches {
    private final Dataset<Row> steps;
    private final Space actionSpace;
    private final long seed;
    private long pass;
    private Iterator<Row> rows;

    private DeltaExpertBatches(Dataset<Row> steps, Space actionSpace, long seed) {
        this.steps = steps;
        this.actionSpace = actionSpace;
        this.seed = seed;
    }

    /**
     * The steps {@code query} selects from {@code tables}, checked against the spaces first (the dataset exists, has
     * episodes, its observations and actions have the spaces' sizes).
     */
    public static DeltaExpertBatches open(DeltaExpertData tables, ExpertQuery query, Space observationSpace, Space actionSpace, long seed) {
        tables.checkFits(query, observationSpace, actionSpace);
        return new DeltaExpertBatches(tables.steps(query).select("run_id", "episode_id", "t", "obs", "action"), actionSpace, seed);
    }

    @Override
    public Batch next(int size) {
        float[][] obs = new float[size][];
        float[][] actions = new float[size][];
        for (int i = 0; i < size; i++) {
            if (rows == null || !rows.hasNext()) {
                rows = steps.orderBy(rand(seed + pass++)).toLocalIterator();
            }
            Row row = rows.next();
            obs[i] = TrajectoryStore.floats(row, "obs");
            actions[i] = TrajectoryStore.floats(row, "action");
            if (actionSpace.isDiscrete() && !actionSpace.contains(actions[i])) {
                throw new IllegalArgumentException("step " + row.getAs("t") + " of episode " + row.getAs("episode_id") + " of run '"
                        + row.getAs("run_id") + "' has action " + java.util.Arrays.toString(actions[i]) + ", not in " + actionSpace);
            }
        }
        return new Batch(obs, actions);
    }
}
