package org.sparkbaselines.imitation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.sparkbaselines.common.Seeding;
import org.sparkbaselines.spaces.Space;

/**
 * Expert demonstrations for behavior cloning (and later GAIL), the reference's
 * {@code ExpertDataset(expert_path=None, traj_data=None, train_fraction=0.7, batch_size=64,
 * traj_limitation=-1, randomize=True, verbose=1, sequential_preprocessing=False)}.
 *
 * <p>Built from {@link TrajectoryData} (the reference's {@code traj_data}; the Spark engine builds it
 * from Delta tables) or from the reference's {@code .npz} layout ({@link #fromNpz}). With
 * {@link Options#trajLimitation} only the first episodes are kept. The steps are then split as the
 * reference does: a random permutation of all steps, whose first {@code trainFraction} (rounded down)
 * is the training set and the rest the validation set, so both hold steps of every episode. With
 * {@code randomize} false nothing is shuffled (unlike the reference, which still permutes before
 * splitting): training takes the first steps, validation the last, and batches come in step order.
 *
 * <p>{@link #getNextBatch} serves each split's batches endlessly, epoch after epoch (see
 * {@link DataLoader}); unless {@code sequentialPreprocessing}, a background thread prepares them, so
 * {@linkplain #close() close} the dataset when done. Randomness comes from {@link Options#seed}: the
 * same seed gives the same split and the same batches.
 */
public final class ExpertDataset implements AutoCloseable {

    /** The two halves of the data, the reference's {@code split='train'} and {@code split='val'}. */
    public enum Split { TRAIN, VALIDATION }

    /**
     * The reference's constructor options, plus a seed.
     *
     * @param trainFraction the share of steps in the training set, strictly between 0 and 1 (default 0.7)
     * @param batchSize rows per batch (default 64)
     * @param trajLimitation how many episodes to keep, from the first; -1 keeps all (the default)
     * @param randomize shuffle the steps before splitting and each split at every epoch (default true)
     * @param verbose 1 prints the {@link #describe() description} when the dataset is built (the default), 0 nothing
     * @param sequentialPreprocessing prepare batches on the caller's thread instead of a prefetch thread (default false)
     * @param seed seed of the shuffling; null (the default) draws one from {@link Seeding}
     */
    public record Options(double trainFraction, int batchSize, int trajLimitation, boolean randomize, int verbose,
            boolean sequentialPreprocessing, Long seed) {

        public static final Options DEFAULT = new Options(0.7, 64, -1, true, 1, false, null);

        public Options {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("trainFraction must be strictly between 0 and 1, got " + trainFraction);
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
            }
            if (trajLimitation != -1 && trajLimitation <= 0) {
                throw new IllegalArgumentException("trajLimitation must be -1 (all episodes) or positive, got " + trajLimitation);
            }
        }

        public Options withTrainFraction(double fraction) {
            return new Options(fraction, batchSize, trajLimitation, randomize, verbose, sequentialPreprocessing, seed);
        }

        public Options withBatchSize(int size) {
            return new Options(trainFraction, size, trajLimitation, randomize, verbose, sequentialPreprocessing, seed);
        }

        public Options withTrajLimitation(int episodes) {
            return new Options(trainFraction, batchSize, episodes, randomize, verbose, sequentialPreprocessing, seed);
        }

        public Options withRandomize(boolean shuffle) {
            return new Options(trainFraction, batchSize, trajLimitation, shuffle, verbose, sequentialPreprocessing, seed);
        }

        public Options withVerbose(int level) {
            return new Options(trainFraction, batchSize, trajLimitation, randomize, level, sequentialPreprocessing, seed);
        }

        public Options withSequentialPreprocessing(boolean sequential) {
            return new Options(trainFraction, batchSize, trajLimitation, randomize, verbose, sequential, seed);
        }

        public Options withSeed(Long newSeed) {
            return new Options(trainFraction, batchSize, trajLimitation, randomize, verbose, sequentialPreprocessing, newSeed);
        }
    }

    private final TrajectoryData data;
    private final int batchSize;
    private final DataLoader trainLoader;
    private final DataLoader validationLoader;
    private final int trainSize;

    /**
     * A dataset of {@code trajectories} (see the class comment for the split).
     *
     * @throws IllegalArgumentException when the split leaves the training set empty
     */
    public ExpertDataset(TrajectoryData trajectories, Options options) {
        Objects.requireNonNull(trajectories, "trajectories");
        Objects.requireNonNull(options, "options");
        this.data = options.trajLimitation() == -1 ? trajectories : trajectories.firstEpisodes(options.trajLimitation());
        this.batchSize = options.batchSize();
        int steps = data.steps();
        trainSize = (int) (options.trainFraction() * steps);
        // trainFraction < 1 rounds down below steps, so only the training set can be empty.
        if (trainSize == 0) {
            throw new IllegalArgumentException("trainFraction " + options.trainFraction() + " of " + steps + " steps leaves no training sample");
        }
        SplittableRandom random = new SplittableRandom(options.seed() != null ? options.seed() : Seeding.newSeed());
        int[] order = IntStream.range(0, steps).toArray();
        if (options.randomize()) {
            DataLoader.shuffle(order, random);
        }
        int prefetch = options.sequentialPreprocessing() ? 0 : 1;
        trainLoader = new DataLoader(Arrays.copyOfRange(order, 0, trainSize), data.observations(), data.actions(), batchSize,
                options.randomize(), random.nextLong(), prefetch);
        validationLoader = new DataLoader(Arrays.copyOfRange(order, trainSize, steps), data.observations(), data.actions(), batchSize,
                options.randomize(), random.nextLong(), prefetch);
        if (options.verbose() >= 1) {
            System.out.println("Expert dataset: " + describe());
        }
    }

    /** A dataset of the reference's {@code .npz} layout (see {@link TrajectoryData#readNpz}). */
    public static ExpertDataset fromNpz(Path file, Options options) throws IOException {
        return new ExpertDataset(TrajectoryData.readNpz(file), options);
    }

    /** A dataset of the reference's {@code .npz} layout with the default {@link Options}. */
    public static ExpertDataset fromNpz(Path file) throws IOException {
        return fromNpz(file, Options.DEFAULT);
    }

    /**
     * The next batch of {@code split}: {@link #batchSize()} rows, fewer for the last batch of an epoch,
     * then the next epoch begins (reshuffled when randomizing).
     */
    public Batch getNextBatch(Split split) {
        return loader(split).next();
    }

    /** Batches in one epoch of {@code split} (the reference's {@code len(dataset.train_loader)}). */
    public int batchesPerEpoch(Split split) {
        return loader(split).batchesPerEpoch();
    }

    /** Steps in {@code split}. */
    public int size(Split split) {
        return split == Split.TRAIN ? trainSize : data.steps() - trainSize;
    }

    /** Rows per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The trajectories, after {@code trajLimitation}. */
    public TrajectoryData data() {
        return data;
    }

    /** Episodes, steps and episode return statistics (the reference's {@code log_info()}). */
    public DatasetDescription describe() {
        return DatasetDescription.of(data.episodeReturns(), data.steps());
    }

    /** Writes the trajectories (after {@code trajLimitation}) in the reference's {@code .npz} layout (see {@link TrajectoryData#writeNpz}). */
    public void toNpz(Path file) throws IOException {
        data.writeNpz(file);
    }

    /**
     * Checks that a model with these spaces can learn from this data: observations and actions have
     * the spaces' sizes and, for integer spaces (Discrete, MultiDiscrete, MultiBinary), every value is
     * in the space. Box values are not bounds-checked: an expert may act outside the box the env clips to.
     *
     * @throws IllegalArgumentException naming what does not match (the sizes, or the first step out of the space)
     */
    public void checkSpaces(Space observationSpace, Space actionSpace) {
        TrajectoryData.Layout layout = data.layout();
        requireWidth("observations", data.observationDim(), layout.observationShape(), observationSpace);
        requireWidth("actions", data.actionDim(), layout.actionShape(), actionSpace);
        requireInSpace("observation", data.observations(), observationSpace);
        requireInSpace("action", data.actions(), actionSpace);
    }

    private static void requireWidth(String what, int width, int[] perStepShape, Space space) {
        if (width != space.flatDim()) {
            throw new IllegalArgumentException("the expert " + what + " have shape " + TrajectoryData.formatShape("steps", perStepShape)
                    + ", " + width + " value(s) per step, but " + space + " takes " + space.flatDim());
        }
    }

    private static void requireInSpace(String what, float[][] rows, Space space) {
        if (!space.isDiscrete()) {
            return;
        }
        for (int step = 0; step < rows.length; step++) {
            if (!space.contains(rows[step])) {
                throw new IllegalArgumentException("the expert " + what + " at step " + step + " is " + Arrays.toString(rows[step])
                        + ", not in " + space);
            }
        }
    }

    private DataLoader loader(Split split) {
        return Objects.requireNonNull(split, "split") == Split.TRAIN ? trainLoader : validationLoader;
    }

    /** Stops the prefetch threads; later {@link #getNextBatch} calls fail. Idempotent. */
    @Override
    public void close() {
        trainLoader.close();
        validationLoader.close();
    }
}
