package org.sparkbaselines.policies;

import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/**
 * Turns observations into network inputs as the reference's {@code observation_input} does: Box,
 * MultiBinary and (flattened) Dict observations pass through as floats; Discrete observations become
 * one-hot vectors and MultiDiscrete ones concatenated one-hots. Reuses one buffer (no allocation once
 * the largest batch has been seen).
 */
public final class ObservationEncoder {
    private final Space space;
    private final int[] sizes;
    private final int inputDim;
    private float[][] buffer = new float[0][];
    private float[] flatBuffer = new float[0];

    public ObservationEncoder(Space space) {
        this.space = space;
        if (space instanceof Discrete d) {
            sizes = new int[] {d.n()};
        } else if (space instanceof MultiDiscrete m) {
            sizes = m.nvec();
        } else if (space instanceof Box || space instanceof MultiBinary || space instanceof DictSpace) {
            sizes = null;
        } else {
            throw new IllegalArgumentException("unsupported observation space " + space);
        }
        int dim = 0;
        if (sizes != null) {
            try {
                for (int s : sizes) {
                    dim = Math.addExact(dim, s);
                }
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("observation space " + space + " one-hot encodes to more than "
                        + Integer.MAX_VALUE + " network inputs", e);
            }
        } else {
            dim = space.flatDim();
        }
        inputDim = dim;
    }

    public int inputDim() {
        return inputDim;
    }

    /** The network input rows for {@code batch} observations (the observations themselves when no encoding is needed). */
    public float[][] encode(float[][] obs, int batch) {
        if (batch > obs.length) {
            throw new IllegalArgumentException("batch " + batch + " exceeds the " + obs.length + " observation rows given");
        }
        for (int b = 0; b < batch; b++) {
            if (obs[b].length != space.flatDim()) {
                throw new IllegalArgumentException("observation " + b + " has " + obs[b].length + " values; " + space + " needs " + space.flatDim());
            }
        }
        if (sizes == null) {
            return obs;
        }
        if (buffer.length < batch) {
            buffer = new float[batch][inputDim];
        }
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(buffer[b], 0f);
            oneHots(obs[b], 0, buffer[b], 0, b);
        }
        return buffer;
    }

    /**
     * The network input, row-major, for {@code batch} observations given row-major (the array itself when no encoding
     * is needed; else a reused buffer).
     */
    public float[] encodeFlat(float[] obs, int batch) {
        int dim = space.flatDim();
        if (sizes == null) {
            return obs;
        }
        if (flatBuffer.length < batch * inputDim) {
            flatBuffer = new float[batch * inputDim];
        }
        java.util.Arrays.fill(flatBuffer, 0, batch * inputDim, 0f);
        for (int b = 0; b < batch; b++) {
            oneHots(obs, b * dim, flatBuffer, b * inputDim, b);
        }
        return flatBuffer;
    }

    /** Sets the one-hot entries of observation {@code b} (at {@code obs[from..]}) in the zeroed {@code into[to..]}. */
    private void oneHots(float[] obs, int from, float[] into, int to, int b) {
        int offset = to;
        for (int k = 0; k < sizes.length; k++) {
            float entry = obs[from + k];
            int index = (int) entry;
            if (index < 0 || index >= sizes[k] || index != entry) {
                throw new IllegalArgumentException("observation " + b + " entry " + k + " = " + entry + " is not in " + space);
            }
            into[offset + index] = 1f;
            offset += sizes[k];
        }
    }
}
