package org.sparkbaselines.spark.pretrain;

import java.io.Serializable;
import java.util.List;

/**
 * How one step's observation and action become a row of network features and labels, on the
 * executors: observations as they are (Box, MultiBinary) or one-hot ({@code discreteObservations > 0},
 * a Discrete space of that size); Discrete actions one-hot, Box actions as they are.
 *
 * @param observationDim values per stored observation
 * @param discreteObservations the Discrete observation space's size, or 0 when observations pass through
 * @param discreteActions whether actions are Discrete (labels one-hot) rather than Box
 * @param actionWidth label width: the Discrete space's size, or the Box's number of values
 */
record Encoding(int observationDim, int discreteObservations, boolean discreteActions, int actionWidth) implements Serializable {

    /** Feature width. */
    int featureWidth() {
        return discreteObservations > 0 ? discreteObservations : observationDim;
    }

    /** Writes {@code observation}'s features at {@code offset} of {@code features} (which is zero there). */
    void features(List<Float> observation, float[] features, int offset) {
        requireSize("observation", observation, observationDim);
        if (discreteObservations > 0) {
            features[offset + index(observation.get(0), discreteObservations, "observation")] = 1f;
        } else {
            for (int i = 0; i < observationDim; i++) {
                features[offset + i] = observation.get(i);
            }
        }
    }

    /** Writes {@code action}'s labels at {@code offset} of {@code labels} (which is zero there). */
    void labels(List<Float> action, float[] labels, int offset) {
        if (discreteActions) {
            requireSize("action", action, 1);
            labels[offset + index(action.get(0), actionWidth, "action")] = 1f;
        } else {
            requireSize("action", action, actionWidth);
            for (int i = 0; i < actionWidth; i++) {
                labels[offset + i] = action.get(i);
            }
        }
    }

    private static void requireSize(String what, List<Float> values, int size) {
        if (values.size() != size) {
            throw new IllegalArgumentException("an expert " + what + " has " + values.size() + " value(s), the model takes " + size);
        }
    }

    private static int index(float value, int n, String what) {
        int index = (int) value;
        if (index != value || index < 0 || index >= n) {
            throw new IllegalArgumentException("an expert " + what + " is " + value + ", not in Discrete(" + n + ")");
        }
        return index;
    }
}
