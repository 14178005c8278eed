package org.sparkbaselines.env.testenvs;

import java.util.SplittableRandom;
import org.sparkbaselines.spaces.Space;

/**
 * Draws from a space whose sampler follows an env's seeding: whenever {@code reset(seed)} has given
 * the env a new generator, the space is reseeded from it before the next draw, so the same seed
 * gives the same samples. As in SB3's test envs, {@code reset(null)} leaves the space's sampler
 * alone, so a space the caller seeded directly stays under the caller's control.
 */
final class SeededSampling {
    private final Space space;
    private SplittableRandom followedGenerator;

    /** {@code currentGenerator} is the env's generator at construction, before any {@code reset(seed)}. */
    SeededSampling(Space space, SplittableRandom currentGenerator) {
        this.space = space;
        this.followedGenerator = currentGenerator;
    }

    /** Samples into {@code out}, first reseeding the space if {@code generator} replaced the one followed so far. */
    void sample(SplittableRandom generator, float[] out) {
        if (generator != followedGenerator) {
            space.seed(generator.nextLong());
            followedGenerator = generator;
        }
        space.sample(out);
    }
}
