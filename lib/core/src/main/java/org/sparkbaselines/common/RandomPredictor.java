package org.sparkbaselines.common;

import org.sparkbaselines.spaces.Space;

/** Samples uniformly from an action space, ignoring observations: the random agent baseline. */
public final class RandomPredictor implements Predictor {
    private final Space actionSpace;

    /** Samples from {@code actionSpace}, reseeding its sampler with {@code seed} when not null. */
    public RandomPredictor(Space actionSpace, Long seed) {
        this.actionSpace = actionSpace;
        if (seed != null) {
            actionSpace.seed(seed);
        }
    }

    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        float[][] actions = new float[observations.length][];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = actionSpace.sample();
        }
        return actions;
    }
}
