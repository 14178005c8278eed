package org.sparkbaselines.imitation;

import java.util.SplittableRandom;

/**
 * Expert transitions a batch at a time, what GAIL's discriminator trains on (the reference's
 * {@code expert_dataset.get_next_batch()} after {@code init_dataloader(batch_size)}): from an in-memory
 * {@link ExpertDataset} ({@link #of}), or streamed from a trajectory table so that an expert set larger than the
 * driver's memory works ({@code org.sparkbaselines.spark.dataset.DeltaExpertBatches}). Actions are in the env's
 * units (a Discrete action as its index).
 */
public interface ExpertBatches extends AutoCloseable {

    /** The next {@code size} transitions, drawn without replacement until every one has been used, then reshuffled. */
    Batch next(int size);

    @Override
    default void close() {
    }

    /** Every transition of {@code dataset} (both of its splits, as the reference's GAIL loader), shuffled with {@code seed}. */
    static ExpertBatches of(ExpertDataset dataset, long seed) {
        TrajectoryData data = dataset.data();
        return new ExpertBatches() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private final int[] order = java.util.stream.IntStream.range(0, data.observations().length).toArray();
            private int position = order.length;

            @Override
            public Batch next(int size) {
                float[][] obs = new float[size][];
                float[][] actions = new float[size][];
                for (int i = 0; i < size; i++) {
                    if (position == order.length) {
                        shuffle();
                    }
                    obs[i] = data.observations()[order[position]];
                    actions[i] = data.actions()[order[position++]];
                }
                return new Batch(obs, actions);
            }

            private void shuffle() {
                DataLoader.shuffle(order, random);
                position = 0;
            }
        };
    }
}
