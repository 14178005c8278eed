package org.sparkbaselines.env;

import java.util.Arrays;
import java.util.Map;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/**
 * Presents an env with a {@link DictSpace} observation as a 1-D float32 {@link Box} of the same flat
 * dimension, for algorithms that take plain vectors (Gym's {@code FlattenObservation} on a Dict).
 * A Dict element is already its sub-elements end to end in key order, so observations pass through
 * unchanged: only the space changes. Bounds come from the sub-spaces: MultiBinary {@code [0, 1]},
 * Discrete {@code [0, n-1]}, MultiDiscrete {@code [0, nvec[i]-1]}, Box its own bounds.
 */
public final class FlattenDictObservation extends EnvWrapper {
    private final Box observationSpace;

    public FlattenDictObservation(Env env) {
        super(env);
        if (!(env.observationSpace() instanceof DictSpace dict)) {
            throw new IllegalArgumentException("FlattenDictObservation needs a Dict observation space, got " + env.observationSpace());
        }
        this.observationSpace = flatten(dict);
    }

    @Override
    public Box observationSpace() {
        return observationSpace;
    }

    /** The 1-D Box covering every element of {@code dict} in its flat layout. */
    public static Box flatten(DictSpace dict) {
        float[] low = new float[dict.flatDim()];
        float[] high = new float[dict.flatDim()];
        for (Map.Entry<String, Space> entry : dict.spaces().entrySet()) {
            writeBounds(entry.getKey(), entry.getValue(), dict.offset(entry.getKey()), low, high);
        }
        return new Box(low, high);
    }

    private static void writeBounds(String key, Space space, int from, float[] low, float[] high) {
        int to = from + space.flatDim();
        if (space instanceof MultiBinary) {
            Arrays.fill(high, from, to, 1f);
        } else if (space instanceof Discrete discrete) {
            high[from] = discrete.n() - 1;
        } else if (space instanceof MultiDiscrete multiDiscrete) {
            int[] nvec = multiDiscrete.nvec();
            for (int i = 0; i < nvec.length; i++) {
                high[from + i] = nvec[i] - 1;
            }
        } else if (space instanceof Box box) {
            System.arraycopy(box.low(), 0, low, from, box.flatDim());
            System.arraycopy(box.high(), 0, high, from, box.flatDim());
        } else {
            throw new IllegalArgumentException("FlattenDictObservation cannot flatten key '" + key + "' of space " + space);
        }
    }
}
