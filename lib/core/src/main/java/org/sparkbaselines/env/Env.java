package org.sparkbaselines.env;

import org.sparkbaselines.spaces.Space;

/**
 * An environment with Gymnasium's contract: {@code reset(seed) -> obs} and
 * {@code step(action) -> (obs, reward, terminated, truncated, info)}.
 *
 * <p>Observations and actions are flat {@code float[]} in their space's layout (see {@link Space}):
 * a Discrete action is one float holding the index. The arrays an env returns belong to the env and
 * are overwritten by its next call; the action array belongs to the caller and must not be kept.
 * Extend {@link BaseEnv} for the bookkeeping (seeded generator, reusable result).
 */
public interface Env extends AutoCloseable {

    Space observationSpace();

    Space actionSpace();

    /**
     * Starts a new episode and returns its first observation. A non-null {@code seed} reseeds the
     * env's generator first (same seed, same episode); null continues the current stream.
     */
    float[] reset(Long seed);

    /** {@code reset(null)}. */
    default float[] reset() {
        return reset(null);
    }

    /** Advances one step. The result is owned by the env and valid until its next call. */
    StepResult step(float[] action);

    /** The render modes this env supports ({@code "rgb_array"} when {@link #render()} returns a frame). */
    default java.util.List<String> renderModes() {
        return java.util.List.of();
    }

    /** The current frame as an RGB image; envs without one throw {@link UnsupportedOperationException}. */
    default RgbImage render() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no rgb_array rendering");
    }

    /** The registry id this env was made under, or null. */
    default String specId() {
        return null;
    }

    /** The innermost env under all wrappers. */
    default Env unwrapped() {
        return this;
    }

    /** Releases resources; idempotent. */
    @Override
    default void close() {
    }
}
