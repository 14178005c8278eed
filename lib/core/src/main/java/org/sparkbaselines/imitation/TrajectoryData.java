package org.sparkbaselines.imitation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.spaces.Space;

/**
 * Expert trajectories in memory, the reference's {@code traj_data} dict: for every step an observation
 * and an action as flat float rows (each space's layout, see {@link Space}), the reward, and whether
 * the step starts an episode; plus each episode's return. Episodes are concatenated in order, so
 * {@code episodeStarts[0]} is true and there are as many starts as returns.
 *
 * <p>This is the one entry point for every source: {@link #readNpz} for the reference's {@code .npz}
 * layout, the constructors for arrays built elsewhere (the Spark engine's Delta tables).
 * {@link Layout} says how observations and actions are stored in an {@code .npz}, so that
 * {@link #writeNpz} gives back what {@link #readNpz} read.
 *
 * <p>The arrays are held, not copied (datasets are large): hand them over and do not modify them.
 * Equality is therefore by identity, as for any record of arrays.
 *
 * @param observations one row per step, all of the same length
 * @param actions one row per step, all of the same length (one value for a Discrete action)
 * @param rewards one reward per step
 * @param episodeReturns one return per episode
 * @param episodeStarts per step, whether it is the first step of an episode
 * @param layout the {@code .npz} dtypes and per-step shapes of observations and actions
 * @throws IllegalArgumentException naming the array and the problem: different step counts, ragged
 *         rows, a NaN or infinite observation or action (naming the step), starts and returns that
 *         disagree, values the layout's dtype cannot hold
 */
public record TrajectoryData(float[][] observations, float[][] actions, double[] rewards, double[] episodeReturns,
        boolean[] episodeStarts, Layout layout) {

    /** The {@code .npz} keys, in the order the reference's {@code generate_expert_traj} writes them. */
    public static final String ACTIONS = "actions";
    public static final String OBS = "obs";
    public static final String REWARDS = "rewards";
    public static final String EPISODE_RETURNS = "episode_returns";
    public static final String EPISODE_STARTS = "episode_starts";
    private static final List<String> NPZ_KEYS = List.of(ACTIONS, OBS, REWARDS, EPISODE_RETURNS, EPISODE_STARTS);

    /**
     * How observations and actions are stored in an {@code .npz}: element type and per-step shape
     * (the array's shape without its first, step axis).
     */
    public record Layout(DType observationDType, int[] observationShape, DType actionDType, int[] actionShape) {

        public Layout {
            Objects.requireNonNull(observationDType, "observationDType");
            Objects.requireNonNull(actionDType, "actionDType");
            observationShape = checkedShape(observationShape, OBS);
            actionShape = checkedShape(actionShape, ACTIONS);
        }

        /** float32 rows of the given lengths: shapes {@code (steps, observationDim)} and {@code (steps, actionDim)}. */
        public static Layout float32(int observationDim, int actionDim) {
            return new Layout(DType.FLOAT32, new int[] {observationDim}, DType.FLOAT32, new int[] {actionDim});
        }

        /**
         * What the reference's {@code generate_expert_traj} writes for these spaces: integer spaces
         * (Discrete, MultiDiscrete, MultiBinary) as int64, the others as float32, each in the space's
         * shape, or {@code (flatDim,)} where that shape does not describe the flat layout (Discrete's
         * {@code ()}, Dict); so a Discrete action is int64 {@code (steps, 1)}.
         */
        public static Layout forSpaces(Space observationSpace, Space actionSpace) {
            return new Layout(dtypeOf(observationSpace), shapeOf(observationSpace), dtypeOf(actionSpace), shapeOf(actionSpace));
        }

        private static DType dtypeOf(Space space) {
            return space.isDiscrete() ? DType.INT64 : DType.FLOAT32;
        }

        private static int[] shapeOf(Space space) {
            int[] shape = space.shape();
            boolean describesFlatLayout = shape.length > 0 && Arrays.stream(shape).reduce(1, Math::multiplyExact) == space.flatDim();
            return describesFlatLayout ? shape : new int[] {space.flatDim()};
        }

        @Override
        public int[] observationShape() {
            return observationShape.clone();
        }

        @Override
        public int[] actionShape() {
            return actionShape.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Layout that && observationDType == that.observationDType && actionDType == that.actionDType
                    && Arrays.equals(observationShape, that.observationShape) && Arrays.equals(actionShape, that.actionShape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(observationDType, actionDType, Arrays.hashCode(observationShape), Arrays.hashCode(actionShape));
        }

        @Override
        public String toString() {
            return "Layout(obs " + observationDType + " " + formatShape("steps", observationShape) + ", actions " + actionDType + " "
                    + formatShape("steps", actionShape) + ")";
        }

        private static int[] checkedShape(int[] shape, String key) {
            Objects.requireNonNull(shape, key + " shape");
            for (int dim : shape) {
                if (dim <= 0) {
                    throw new IllegalArgumentException(key + " shape " + formatShape("steps", shape) + " has a dimension <= 0");
                }
            }
            return shape.clone();
        }
    }

    public TrajectoryData {
        Objects.requireNonNull(observations, OBS);
        Objects.requireNonNull(actions, ACTIONS);
        Objects.requireNonNull(rewards, REWARDS);
        Objects.requireNonNull(episodeReturns, EPISODE_RETURNS);
        Objects.requireNonNull(episodeStarts, EPISODE_STARTS);
        Objects.requireNonNull(layout, "layout");
        int steps = observations.length;
        if (steps == 0) {
            throw new IllegalArgumentException("the trajectories have no steps");
        }
        requireSteps(ACTIONS, actions.length, steps);
        requireSteps(REWARDS, rewards.length, steps);
        requireSteps(EPISODE_STARTS, episodeStarts.length, steps);
        checkRows(observations, OBS, layout.observationDType, layout.observationShape);
        checkRows(actions, ACTIONS, layout.actionDType, layout.actionShape);
        if (!episodeStarts[0]) {
            throw new IllegalArgumentException(EPISODE_STARTS + "[0] is false: the first step must start an episode");
        }
        int starts = countStarts(episodeStarts);
        if (starts != episodeReturns.length) {
            throw new IllegalArgumentException(EPISODE_STARTS + " marks " + starts + " episodes but " + EPISODE_RETURNS + " has "
                    + episodeReturns.length + " values");
        }
    }

    /** Trajectories stored as float32 rows in an {@code .npz} (see {@link Layout#float32}). */
    public TrajectoryData(float[][] observations, float[][] actions, double[] rewards, double[] episodeReturns, boolean[] episodeStarts) {
        this(observations, actions, rewards, episodeReturns, episodeStarts,
                Layout.float32(rowLength(observations), rowLength(actions)));
    }

    /** Number of steps (transitions). */
    public int steps() {
        return observations.length;
    }

    /** Number of episodes. */
    public int episodes() {
        return episodeReturns.length;
    }

    /** Values per observation row. */
    public int observationDim() {
        return observations[0].length;
    }

    /** Values per action row. */
    public int actionDim() {
        return actions[0].length;
    }

    /**
     * The first {@code n} episodes (all of them when there are no more than {@code n}), the reference's
     * {@code traj_limitation}. Rows are shared with this object, not copied.
     */
    public TrajectoryData firstEpisodes(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("the number of episodes to keep must be positive, got " + n);
        }
        if (n >= episodes()) {
            return this;
        }
        int end = episodeStart(n);
        return new TrajectoryData(Arrays.copyOf(observations, end), Arrays.copyOf(actions, end), Arrays.copyOf(rewards, end),
                Arrays.copyOf(episodeReturns, n), Arrays.copyOf(episodeStarts, end), layout);
    }

    /** The step at which episode {@code index} (counted from 0) starts; the episode must exist. */
    private int episodeStart(int index) {
        int seen = -1;
        for (int step = 0;; step++) {
            if (episodeStarts[step] && ++seen == index) {
                return step;
            }
        }
    }

    /**
     * Reads the reference's {@code .npz} layout: {@code obs} and {@code actions} of shape
     * {@code (steps, ...)} (a Discrete action is {@code (steps, 1)}), {@code rewards} and
     * {@code episode_starts} (bool) of shape {@code (steps,)}, {@code episode_returns} of shape
     * {@code (episodes,)}. Observations and actions are read as float32 (float64 values are rounded,
     * integers up to 2^24 are exact); the {@link Layout} remembers their dtypes and shapes. Files
     * whose {@code obs} are image paths (the reference's image datasets) are not supported.
     *
     * @throws MalformedFileException naming the file and the problem: not an {@code .npz}, a missing
     *         array, a wrong shape or dtype, or any problem the constructor reports
     */
    public static TrajectoryData readNpz(Path file) throws IOException {
        Map<String, NdArray> arrays = Npz.read(file);
        for (String key : NPZ_KEYS) {
            if (!arrays.containsKey(key)) {
                throw new MalformedFileException(file + " has no '" + key + "' array; an expert dataset needs " + String.join(", ", NPZ_KEYS)
                        + " (it has " + String.join(", ", arrays.keySet()) + ")");
            }
        }
        NdArray obs = arrays.get(OBS);
        NdArray actions = arrays.get(ACTIONS);
        NdArray starts = arrays.get(EPISODE_STARTS);
        try {
            requireRank(obs, OBS, false);
            requireRank(actions, ACTIONS, false);
            requireRank(arrays.get(REWARDS), REWARDS, true);
            requireRank(arrays.get(EPISODE_RETURNS), EPISODE_RETURNS, true);
            requireRank(starts, EPISODE_STARTS, true);
            if (starts.dtype() != DType.BOOL) {
                throw new IllegalArgumentException(EPISODE_STARTS + " must be bool, not " + starts.dtype());
            }
            Layout layout = new Layout(obs.dtype(), perStepShape(obs), actions.dtype(), perStepShape(actions));
            return new TrajectoryData(rowsOf(obs), rowsOf(actions), arrays.get(REWARDS).toDoubleArray(),
                    arrays.get(EPISODE_RETURNS).toDoubleArray(), starts.toBooleanArray(), layout);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an expert dataset as {@link #readNpz} does and checks that it is one: every episode's return
     * is the sum of its rewards (as the reference's {@code generate_expert_traj} writes them, and as the
     * trajectory tables derive them), and, when spaces are given, observations and actions have their
     * sizes. The one set of checks every command reading an {@code .npz} applies.
     *
     * @param observationSpace the space the observations must fit, or null for no size check
     * @param actionSpace the space the actions must fit, or null for no size check
     * @throws MalformedFileException as {@link #readNpz}, and naming the first episode whose return
     *         differs from its rewards' sum
     * @throws IllegalArgumentException when the data does not fit the spaces, naming both sizes
     */
    public static TrajectoryData readExpertNpz(Path file, Space observationSpace, Space actionSpace) throws IOException {
        TrajectoryData data = readNpz(file);
        data.requireReturnsOfRewards(file);
        if (observationSpace != null) {
            requireWidth("observations", data.observationDim(), observationSpace, file.toString());
        }
        if (actionSpace != null) {
            requireWidth("actions", data.actionDim(), actionSpace, file.toString());
        }
        return data;
    }

    private void requireReturnsOfRewards(Path file) throws MalformedFileException {
        int episode = -1;
        double sum = 0;
        for (int step = 0; step <= rewards.length; step++) {
            if (step == rewards.length || episodeStarts[step]) {
                if (episode >= 0 && Math.abs(sum - episodeReturns[episode]) > 1e-6 * Math.max(1, Math.abs(sum))) {
                    throw new MalformedFileException(file + ": " + EPISODE_RETURNS + "[" + episode + "] is " + episodeReturns[episode]
                            + " but the episode's rewards sum to " + sum);
                }
                episode++;
                sum = 0;
            }
            if (step < rewards.length) {
                sum += rewards[step];
            }
        }
    }

    /**
     * Checks that a model acting in {@code space} can learn from {@code what} rows of {@code width} values.
     *
     * @param source the data, for the message: a file, a query's description
     * @throws IllegalArgumentException naming both sizes
     */
    public static void requireWidth(String what, int width, Space space, String source) {
        if (width != space.flatDim()) {
            throw new IllegalArgumentException("the " + what + " of " + source + " have " + width
                    + " value(s) per step, but " + space + " takes " + space.flatDim() + ": is the data for another env?");
        }
    }

    /**
     * Writes the reference's {@code .npz} layout (uncompressed, as {@code numpy.savez}, atomically):
     * observations and actions with the {@link Layout}'s dtypes and shapes, rewards and returns as
     * float64, starts as bool. A file {@link #readNpz} read comes back identical, unless its rewards or
     * returns were not float64 or its observations or actions held float64 values a float cannot.
     */
    public void writeNpz(Path file) throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put(ACTIONS, toNdArray(actions, layout.actionDType, layout.actionShape));
        arrays.put(OBS, toNdArray(observations, layout.observationDType, layout.observationShape));
        arrays.put(REWARDS, NdArray.ofDoubles(rewards, rewards.length));
        arrays.put(EPISODE_RETURNS, NdArray.ofDoubles(episodeReturns, episodeReturns.length));
        arrays.put(EPISODE_STARTS, NdArray.ofBooleans(episodeStarts, episodeStarts.length));
        Npz.write(file, arrays);
    }

    private static void requireSteps(String key, int length, int steps) {
        if (length != steps) {
            throw new IllegalArgumentException(OBS + " has " + steps + " steps but " + key + " has " + length);
        }
    }

    /** Rectangular rows of the layout's size, finite, and representable in its dtype. */
    private static void checkRows(float[][] rows, String key, DType dtype, int[] shape) {
        int width = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        for (int step = 0; step < rows.length; step++) {
            float[] row = rows[step];
            if (row == null || row.length != width) {
                throw new IllegalArgumentException(key + " at step " + step + " has " + (row == null ? "no" : row.length) + " values; the layout "
                        + formatShape("steps", shape) + " needs " + width);
            }
            for (int i = 0; i < width; i++) {
                float value = row[i];
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException(key + " at step " + step + " is " + value + " at index " + i);
                }
                if (!fits(value, dtype)) {
                    throw new IllegalArgumentException(key + " at step " + step + " holds " + value + " at index " + i + ", which " + dtype
                            + " cannot store");
                }
            }
        }
    }

    private static boolean fits(float value, DType dtype) {
        boolean integral = value == Math.rint(value);
        return switch (dtype) {
            case FLOAT32, FLOAT64 -> true;
            case INT32, INT64 -> integral;
            case UINT8 -> integral && value >= 0 && value <= 255;
            case BOOL -> value == 0 || value == 1;
        };
    }

    private static int countStarts(boolean[] starts) {
        int count = 0;
        for (boolean start : starts) {
            if (start) {
                count++;
            }
        }
        return count;
    }

    private static int rowLength(float[][] rows) {
        return rows.length == 0 || rows[0] == null ? 0 : rows[0].length;
    }

    private static void requireRank(NdArray array, String key, boolean exactlyOne) {
        if (array.ndim() == 0 || (exactlyOne && array.ndim() != 1)) {
            throw new IllegalArgumentException(key + " has shape " + formatShape(null, array.shape()) + "; it must be "
                    + (exactlyOne ? "1-D" : "(steps, ...)"));
        }
    }

    private static int[] perStepShape(NdArray array) {
        int[] shape = array.shape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static float[][] rowsOf(NdArray array) {
        float[] flat = array.toFloatArray();
        int steps = array.shape()[0];
        int width = steps == 0 ? 0 : flat.length / steps;
        float[][] rows = new float[steps][];
        for (int step = 0; step < steps; step++) {
            rows[step] = Arrays.copyOfRange(flat, step * width, (step + 1) * width);
        }
        return rows;
    }

    private static NdArray toNdArray(float[][] rows, DType dtype, int[] perStepShape) {
        int width = rows[0].length;
        int[] shape = new int[perStepShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(perStepShape, 0, shape, 1, perStepShape.length);
        float[] flat = new float[rows.length * width];
        for (int step = 0; step < rows.length; step++) {
            System.arraycopy(rows[step], 0, flat, step * width, width);
        }
        return switch (dtype) {
            case FLOAT32 -> NdArray.ofFloats(flat, shape);
            case FLOAT64 -> {
                double[] out = new double[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    out[i] = flat[i];
                }
                yield NdArray.ofDoubles(out, shape);
            }
            case INT32 -> {
                int[] out = new int[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    out[i] = (int) flat[i];
                }
                yield NdArray.ofInts(out, shape);
            }
            case INT64 -> {
                long[] out = new long[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    out[i] = (long) flat[i];
                }
                yield NdArray.ofLongs(out, shape);
            }
            case BOOL -> {
                boolean[] out = new boolean[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    out[i] = flat[i] != 0;
                }
                yield NdArray.ofBooleans(out, shape);
            }
            case UINT8 -> {
                byte[] out = new byte[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    out[i] = (byte) flat[i];
                }
                yield NdArray.ofUnsignedBytes(out, shape);
            }
        };
    }

    /** A numpy-style shape with a leading axis name: {@code (steps, 4)}; {@code leading == null} formats the shape alone. */
    static String formatShape(String leading, int[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        if (leading == null) {
            return shape.length == 1 ? "(" + dims + ",)" : "(" + dims + ")";
        }
        return shape.length == 0 ? "(" + leading + ",)" : "(" + leading + ", " + dims + ")";
    }
}
