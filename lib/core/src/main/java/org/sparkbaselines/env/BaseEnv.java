package org.sparkbaselines.env;

import java.util.SplittableRandom;
import org.sparkbaselines.common.Seeding;

/**
 * Convenience base for environments: a seeded generator reset by {@code reset(seed)} and a reusable
 * {@link StepResult}. Subclasses implement {@link #resetState()} and {@link #step(float[])}, filling
 * {@code result} with {@code result.set(obs, reward, terminated, truncated)}.
 */
public abstract class BaseEnv implements Env {
    /** The env's own generator (Gymnasium's {@code np_random}); reseeded by {@code reset(seed)}. */
    protected SplittableRandom random = Seeding.newRandom();
    /** Reused for every step; see {@link StepResult}. */
    protected final StepResult result = new StepResult();

    @Override
    public final float[] reset(Long seed) {
        if (seed != null) {
            random = new SplittableRandom(seed);
        }
        return resetState();
    }

    /** Starts an episode from {@link #random} and returns the first observation. */
    protected abstract float[] resetState();

    /** Draws uniformly from {@code [low, high)}. */
    protected double uniform(double low, double high) {
        return low + random.nextDouble() * (high - low);
    }

    /** Throws a clear error unless {@code action} belongs to the action space. */
    protected void requireValidAction(float[] action) {
        if (!actionSpace().contains(action)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": action "
                    + java.util.Arrays.toString(action) + " is not in " + actionSpace());
        }
    }
}
