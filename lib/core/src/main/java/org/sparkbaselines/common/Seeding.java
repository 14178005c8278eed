package org.sparkbaselines.common;

import java.util.SplittableRandom;

/**
 * The library-wide seed source, the reference's {@code set_global_seeds(seed)}: every generator that
 * is not given a seed (a new space's sampler, a vec env seeded with null) is split off this source,
 * and an env's {@link NumpyRandom} is seeded from {@link #newSeed()} until its first seeded reset, so
 * after {@link #setGlobalSeeds(long)} the same program builds the same envs and draws the same samples.
 */
public final class Seeding {
    private static SplittableRandom source = new SplittableRandom();

    private Seeding() {
    }

    /** Reseeds the source; call it first, before building envs, spaces and models. */
    public static synchronized void setGlobalSeeds(long seed) {
        source = new SplittableRandom(seed);
    }

    /** A new generator split off the source. */
    public static synchronized SplittableRandom newRandom() {
        return source.split();
    }

    /** A fresh non-negative seed drawn from the source. */
    public static synchronized long newSeed() {
        return source.nextLong(Integer.MAX_VALUE);
    }
}
