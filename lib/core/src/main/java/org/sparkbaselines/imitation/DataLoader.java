package org.sparkbaselines.imitation;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Endless minibatches of (observation, action) rows of a set of steps, epoch after epoch, the
 * reference's {@code DataLoader(..., infinite_loop=True, partial_minibatch=True)}: every epoch visits
 * each index once, in the given order or, with {@code shuffle}, reshuffled at the start of every
 * epoch; the last batch of an epoch holds the remainder when the batch size does not divide the
 * number of indices.
 *
 * <p>With {@code prefetch > 0} a daemon thread, started by the first {@link #next()}, prepares up to
 * that many batches ahead into a bounded queue (the reference's background process with
 * {@code max_queue_len}); {@link #close()} stops it. With {@code prefetch == 0} each batch is prepared
 * on the caller's thread (the reference's {@code sequential=True}). The batches depend only on the
 * arguments, so the same seed gives the same batches in both modes.
 *
 * <p>One consumer thread: not safe for concurrent {@link #next()} calls.
 */
public final class DataLoader implements AutoCloseable {
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    /** How often a consumer waiting for the prefetch thread checks whether it died or the loader closed. */
    private static final long WAIT_CHECK_MILLIS = 50;

    private final BatchSequence sequence;
    private final int prefetch;
    private final BlockingQueue<Batch> queue;
    private Thread worker;
    private volatile Throwable workerFailure;
    private volatile boolean closed;

    /**
     * @param indices the steps to serve (rows of {@code observations} and {@code actions}); not modified
     * @param observations observation rows of the whole dataset
     * @param actions action rows of the whole dataset
     * @param batchSize rows per batch (the reference's default is 64)
     * @param shuffle reshuffle the indices at the start of every epoch (the reference's default is false)
     * @param seed seed of the shuffling
     * @param prefetch batches a background thread prepares ahead (the reference's {@code max_queue_len},
     *        default 1), or 0 to prepare them on the caller's thread
     */
    public DataLoader(int[] indices, float[][] observations, float[][] actions, int batchSize, boolean shuffle, long seed, int prefetch) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(observations, "observations");
        Objects.requireNonNull(actions, "actions");
        if (indices.length == 0) {
            throw new IllegalArgumentException("a DataLoader needs at least one index");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0, got " + prefetch);
        }
        if (observations.length != actions.length) {
            throw new IllegalArgumentException(observations.length + " observation rows but " + actions.length + " action rows");
        }
        for (int index : indices) {
            Objects.checkIndex(index, observations.length);
        }
        this.sequence = new BatchSequence(indices.clone(), observations, actions, batchSize, shuffle ? new SplittableRandom(seed) : null);
        this.prefetch = prefetch;
        this.queue = prefetch == 0 ? null : new ArrayBlockingQueue<>(prefetch);
    }

    /** Batches per epoch, the reference's {@code len(dataloader)}: the number of indices over the batch size, rounded up. */
    public int batchesPerEpoch() {
        return sequence.batchesPerEpoch();
    }

    /**
     * The next batch; after the last batch of an epoch comes the first of the next one.
     *
     * @throws IllegalStateException when the loader is closed or its prefetch thread failed
     */
    public Batch next() {
        if (closed) {
            throw new IllegalStateException("the DataLoader is closed");
        }
        if (prefetch == 0) {
            return sequence.next();
        }
        if (worker == null) {
            startWorker();
        }
        try {
            Batch batch;
            while ((batch = queue.poll(WAIT_CHECK_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                if (workerFailure != null) {
                    throw new IllegalStateException("the DataLoader's prefetch thread failed", workerFailure);
                }
                if (closed) {
                    throw new IllegalStateException("the DataLoader was closed while waiting for a batch");
                }
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    /** Whether the prefetch thread is running. */
    public boolean isPrefetching() {
        return worker != null && worker.isAlive();
    }

    /** Stops the prefetch thread, if any, and waits for it to end; later {@link #next()} calls fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (worker == null) {
            return;
        }
        worker.interrupt();
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void startWorker() {
        worker = new Thread(() -> {
            try {
                while (!closed) {
                    queue.put(sequence.next());
                }
            } catch (InterruptedException e) {
                // close() interrupts the thread to stop it: nothing left to do.
            } catch (RuntimeException | Error e) {
                workerFailure = e;
            }
        }, "expert-data-loader-" + THREAD_IDS.incrementAndGet());
        // A daemon, as the reference's process: a loader nobody closed does not keep the JVM alive.
        worker.setDaemon(true);
        worker.start();
    }

    /** The batch order: an epoch's index order and the position in it; used by one thread at a time. */
    private static final class BatchSequence {
        private final int[] order;
        private final float[][] observations;
        private final float[][] actions;
        private final int batchSize;
        private final SplittableRandom shuffler;
        private int position;

        BatchSequence(int[] order, float[][] observations, float[][] actions, int batchSize, SplittableRandom shuffler) {
            this.order = order;
            this.observations = observations;
            this.actions = actions;
            this.batchSize = batchSize;
            this.shuffler = shuffler;
        }

        int batchesPerEpoch() {
            return (order.length + batchSize - 1) / batchSize;
        }

        Batch next() {
            if (position == 0 && shuffler != null) {
                shuffle(order, shuffler);
            }
            int size = Math.min(batchSize, order.length - position);
            float[][] obs = new float[size][];
            float[][] acts = new float[size][];
            for (int i = 0; i < size; i++) {
                int step = order[position + i];
                obs[i] = observations[step].clone();
                acts[i] = actions[step].clone();
            }
            position += size;
            if (position == order.length) {
                position = 0;
            }
            return new Batch(obs, acts);
        }
    }

    /** Shuffles {@code values} in place (Fisher-Yates). */
    static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
