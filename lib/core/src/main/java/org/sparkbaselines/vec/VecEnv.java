package org.sparkbaselines.vec;

import java.util.List;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.spaces.Space;

/**
 * A batch of {@code numEnvs} independent envs stepped together, the reference's {@code VecEnv}:
 * actions, observations, rewards and dones are vectors over envs. Envs auto-reset: when env i is
 * done its row holds the next episode's first observation and its info the real last one
 * ({@code terminal_observation}), plus {@code TimeLimit.truncated} when the episode was cut short.
 *
 * <p>Observation and action rows are flat {@code float[]} in their space's layout. Arrays returned
 * belong to the vec env and are refilled by its next call.
 */
public interface VecEnv extends AutoCloseable {

    int numEnvs();

    Space observationSpace();

    Space actionSpace();

    /** Resets every env (with the seeds set by {@link #seed}, once) and returns the first observations; cancels a pending step. */
    float[][] reset();

    /** Starts stepping with one action row per env; rows are read before {@link #stepWait()} returns. */
    void stepAsync(float[][] actions);

    /** Waits for the step started by {@link #stepAsync} and returns its result. */
    VecStepResult stepWait();

    /** {@code stepAsync} then {@code stepWait}. */
    default VecStepResult step(float[][] actions) {
        stepAsync(actions);
        return stepWait();
    }

    /**
     * Seeds env i with {@code seed + i} at the next {@link #reset()} and its action space now;
     * returns the seeds. A null seed draws fresh ones.
     */
    List<Long> seed(Long seed);

    /**
     * The value of attribute {@code name} of the envs at {@code indices} (all when none): a public
     * no-argument method {@code name()}, a getter {@code getName()/isName()} or a public field, looked up
     * from the outermost wrapper inwards.
     */
    List<Object> getAttr(String name, int... indices);

    /** Sets attribute {@code name} (a setter {@code setName(value)} or a public field) on the envs at {@code indices}. */
    void setAttr(String name, Object value, int... indices);

    /** Calls the public method {@code name(args)} on the envs at {@code indices} and returns the results. */
    List<Object> envMethod(String name, Object[] args, int... indices);

    /** One RGB frame per env (envs without rendering throw). */
    List<RgbImage> getImages();

    /** All frames tiled in a near-square grid, as the reference's {@code render(mode='rgb_array')}. */
    default RgbImage render() {
        return ImageTiles.tile(getImages());
    }

    /** Stops the envs (and worker threads); idempotent. */
    @Override
    void close();
}
