package org.sparkbaselines.common;

/**
 * Anything that maps observations to actions: a trained model, a random agent, a hand-written
 * controller. Observations and actions are flat rows in their spaces' layouts (see
 * {@link org.sparkbaselines.spaces.Space}).
 */
@FunctionalInterface
public interface Predictor {

    /** One action row per observation row. {@code deterministic} asks for the most likely action. */
    float[][] predict(float[][] observations, boolean deterministic);

    /** The action for a single observation. */
    default float[] predict(float[] observation, boolean deterministic) {
        return predict(new float[][] {observation}, deterministic)[0];
    }
}
