package org.sparkbaselines.spaces;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A (possibly unbounded) box in R^n, Gym's {@code Box(low, high, shape, dtype)}. Values are carried
 * as float32; {@link #dtype()} records what the original space declared (images are {@code UINT8}).
 * Sampling follows Gym: uniform on bounded dimensions, exponential on half-bounded ones, normal on
 * unbounded ones.
 */
public final class Box extends Space {
    /** The element type a Box declares. */
    public enum DType { FLOAT32, FLOAT64, UINT8 }

    private final float[] low;
    private final float[] high;
    private final DType dtype;

    /** A box with the same bounds on every dimension, float32. */
    public Box(float low, float high, int... shape) {
        this(filled(low, shape), filled(high, shape), DType.FLOAT32, shape);
    }

    /** A 1-D box with per-dimension bounds, float32. */
    public Box(float[] low, float[] high) {
        this(low, high, DType.FLOAT32, low.length);
    }

    /** A box with per-element bounds (flattened row-major) and a declared dtype. */
    public Box(float[] low, float[] high, DType dtype, int... shape) {
        super(shape);
        int n = product(shape);
        if (low.length != n || high.length != n) {
            throw new IllegalArgumentException("Box bounds have " + low.length + " and " + high.length
                    + " values but shape " + Arrays.toString(shape) + " needs " + n);
        }
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(low[i]) || Float.isNaN(high[i])) {
                throw new IllegalArgumentException("Box bound " + i + " is NaN");
            }
            if (low[i] > high[i]) {
                throw new IllegalArgumentException("Box low[" + i + "]=" + low[i] + " exceeds high[" + i + "]=" + high[i]);
            }
        }
        this.low = low.clone();
        this.high = high.clone();
        this.dtype = dtype;
    }

    /** An image space: {@code Box(0, 255, (h, w, c), uint8)}. */
    public static Box image(int height, int width, int channels) {
        int[] shape = {height, width, channels};
        return new Box(filled(0, shape), filled(255, shape), DType.UINT8, shape);
    }

    public float[] low() {
        return low.clone();
    }

    public float[] high() {
        return high.clone();
    }

    public float low(int i) {
        return low[i];
    }

    public float high(int i) {
        return high[i];
    }

    public DType dtype() {
        return dtype;
    }

    @Override
    public int flatDim() {
        return low.length;
    }

    /** Whether every dimension is bounded below and above (Gym's {@code is_bounded("both")}). */
    public boolean isBounded() {
        for (int i = 0; i < low.length; i++) {
            if (Float.isInfinite(low[i]) || Float.isInfinite(high[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The reference's {@code unscale_action}: {@code low + (scaled + 1) (high - low) / 2}, from the [-1, 1] scale of a
     * tanh-bounded policy into the bounds, into {@code out} (returned).
     */
    public float[] unscale(float[] scaled, int offset, float[] out) {
        for (int i = 0; i < low.length; i++) {
            // The same as low + (scaled + 1)(high - low) / 2, without rounding scaled + 1: exact for symmetric bounds
            // (scaled * high), as the reference's agents were evaluated.
            out[i] = 0.5f * (low[i] + high[i]) + scaled[offset + i] * (0.5f * (high[i] - low[i]));
        }
        return out;
    }

    /**
     * The reference's {@code scale_action}, the inverse of {@link #unscale}: an action within the bounds to the [-1, 1]
     * scale, clipped to it (an action outside the bounds, as an on-policy sample may be, lands on the edge), into
     * {@code out} (returned).
     */
    public float[] scale(float[] action, float[] out) {
        for (int i = 0; i < low.length; i++) {
            float scaled = (action[i] - 0.5f * (low[i] + high[i])) / (0.5f * (high[i] - low[i]));
            out[i] = Math.max(-1f, Math.min(1f, scaled));
        }
        return out;
    }

    /** {@link #unscale} of each of the {@code rows} rows of {@code scaled} (row-major), as new action rows. */
    public float[][] unscaleRows(float[] scaled, int rows) {
        float[][] out = new float[rows][low.length];
        for (int b = 0; b < rows; b++) {
            unscale(scaled, b * low.length, out[b]);
        }
        return out;
    }

    @Override
    public void sample(float[] out) {
        SplittableRandom r = random();
        for (int i = 0; i < low.length; i++) {
            boolean lowBounded = !Float.isInfinite(low[i]);
            boolean highBounded = !Float.isInfinite(high[i]);
            double v;
            if (lowBounded && highBounded) {
                v = dtype == DType.UINT8 ? Math.floor(low[i] + r.nextDouble() * (high[i] - low[i] + 1.0))
                        : low[i] + r.nextDouble() * ((double) high[i] - low[i]);
            } else if (lowBounded) {
                v = low[i] - Math.log(1.0 - r.nextDouble());
            } else if (highBounded) {
                v = high[i] + Math.log(1.0 - r.nextDouble());
            } else {
                v = r.nextGaussian();
            }
            out[i] = Math.min(high[i], Math.max(low[i], (float) v));
        }
    }

    @Override
    public boolean contains(float[] x) {
        if (x == null || x.length != low.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (Float.isNaN(v) || v < low[i] || v > high[i]) {
                return false;
            }
            if (dtype == DType.UINT8 && !isInteger(v)) {
                return false;
            }
        }
        return true;
    }

    /** Clips {@code x} into the box in place (what the reference does to continuous actions). */
    public void clip(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(high[i], Math.max(low[i], x[i]));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(shape(), b.shape()) && Arrays.equals(low, b.low)
                && Arrays.equals(high, b.high) && dtype == b.dtype;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(low) * 31 + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        boolean uniform = allEqual(low) && allEqual(high);
        String bounds = uniform ? low[0] + ", " + high[0] : Arrays.toString(low) + ", " + Arrays.toString(high);
        return "Box(" + bounds + ", " + Arrays.toString(shape()) + ", " + dtype.name().toLowerCase() + ")";
    }

    private static boolean allEqual(float[] a) {
        for (float v : a) {
            if (Float.compare(v, a[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    static int product(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static float[] filled(float v, int[] shape) {
        float[] a = new float[product(shape)];
        Arrays.fill(a, v);
        return a;
    }
}
