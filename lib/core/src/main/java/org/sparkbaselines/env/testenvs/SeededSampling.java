package org.sparkbaselines.env.testenvs;

import org.sparkbaselines.common.NumpyRandom;
import org.sparkbaselines.spaces.Space;

/**
 * Draws from a space whose sampler follows an env's seeding: whenever {@code reset(seed)} has given
 * the env a new generator, the space is reseeded from it before the next draw, so the same seed
 * gives the same samples (the space is seeded with the new generator's first 64-bit draw). As in
 * SB3's test envs, {@code reset(null)} leaves the space's sampler alone, so a space the caller
 * seeded directly stays under the caller's control.
 */
final class SeededSampling {
    private final Space space;
    private NumpyRandom followedGenerator;

    /** {@code currentGenerator} is the env's generator at construction, before any {@code reset(seed)}. */
    SeededSampling(Space space, NumpyRandom currentGenerator) {
        this.space = space;
        this.followedGenerator = currentGenerator;
    }

    /** Samples into {@code out}, first reseeding the space if {@code generator} replaced the one followed so far. */
    void sample(NumpyRandom generator, float[] out) {
        if (generator != followedGenerator) {
            space.seed(generator.nextUint64());
            followedGenerator = generator;
        }
        space.sample(out);
    }
}
