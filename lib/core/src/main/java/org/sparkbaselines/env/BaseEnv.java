package org.sparkbaselines.env;

import org.sparkbaselines.common.NumpyRandom;
import org.sparkbaselines.common.Seeding;

/**
 * Convenience base for environments: a seeded generator reset by {@code reset(seed)} and a reusable
 * {@link StepResult}. Subclasses implement {@link #resetState()} and {@link #step(float[])}, filling
 * {@code result} with {@code result.set(obs, reward, terminated, truncated)}.
 */
public abstract class BaseEnv implements Env {
    /**
     * The env's own generator, Gymnasium's {@code np_random} draw for draw: {@code reset(seed)} replaces it
     * with {@code new NumpyRandom(seed)}, so a seeded reset starts where Gymnasium 0.29.1's does. Before
     * the first seeded reset it is seeded from {@link Seeding#newSeed()}.
     */
    protected NumpyRandom random = new NumpyRandom(Seeding.newSeed());
    /** Reused for every step; see {@link StepResult}. */
    protected final StepResult result = new StepResult();

    @Override
    public final float[] reset(Long seed) {
        if (seed != null) {
            random = new NumpyRandom(seed);
        }
        return resetState();
    }

    /** Starts an episode from {@link #random} and returns the first observation. */
    protected abstract float[] resetState();

    /** Draws uniformly from {@code [low, high)}, as {@code np_random.uniform(low, high)}. */
    protected double uniform(double low, double high) {
        return random.uniform(low, high);
    }

    /** Throws a clear error unless {@code action} belongs to the action space. */
    protected void requireValidAction(float[] action) {
        if (!actionSpace().contains(action)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": action "
                    + java.util.Arrays.toString(action) + " is not in " + actionSpace());
        }
    }
}
