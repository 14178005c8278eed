package org.sparkbaselines.spaces;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sparkbaselines.common.Seeding;

/**
 * A set of valid observations or actions, as in Gym. Every element is carried as a flat
 * {@code float[]} of length {@link #flatDim()}: a Box's values in row-major order, a Discrete's
 * index as one float, a MultiDiscrete's or MultiBinary's entries, a Dict's sub-spaces one after
 * another in key order. One layout for all spaces keeps env stepping allocation-free and maps
 * straight onto the {@code array<float>} columns of the trajectory tables.
 *
 * <p>Sampling draws from the space's own seeded generator: {@link #seed(long)} makes it repeatable.
 */
public abstract class Space {
    private final int[] shape;
    private SplittableRandom random = Seeding.newRandom();

    protected Space(int[] shape) {
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("space dimensions must be positive, got shape " + Arrays.toString(shape));
            }
        }
        this.shape = shape.clone();
    }

    /** The shape of one element as Gym reports it ({@code ()} for Discrete). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of floats one element occupies in the flat layout. */
    public abstract int flatDim();

    /** Draws a uniformly random element into {@code out} (length {@link #flatDim()}). */
    public abstract void sample(float[] out);

    /** Draws a uniformly random element into a new array. */
    public float[] sample() {
        float[] out = new float[flatDim()];
        sample(out);
        return out;
    }

    /** Whether {@code x} is an element of this space (right length, in bounds, integral where required, no NaN). */
    public abstract boolean contains(float[] x);

    /** Reseeds this space's sampler; the same seed gives the same samples. */
    public void seed(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The sampler, for subclasses. */
    protected SplittableRandom random() {
        return random;
    }

    /** Whether elements are integers (Discrete, MultiDiscrete, MultiBinary). */
    public boolean isDiscrete() {
        return false;
    }

    /** Throws a clear error unless {@code x} has this space's flat length. */
    public void checkLength(float[] x, String what) {
        if (x == null) {
            throw new IllegalArgumentException(what + " is null; expected " + flatDim() + " values for " + this);
        }
        if (x.length != flatDim()) {
            throw new IllegalArgumentException(what + " has " + x.length + " values; " + this + " needs " + flatDim());
        }
    }

    static boolean isInteger(float v) {
        return v == Math.rint(v);
    }
}
