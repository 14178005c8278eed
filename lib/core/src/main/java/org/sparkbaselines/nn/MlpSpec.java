package org.sparkbaselines.nn;

import java.util.List;

/**
 * A stack of dense layers over inputs of width {@code inputDim}.
 *
 * @param inputDim width of the input rows
 * @param layers the layers in order (at least one)
 */
public record MlpSpec(int inputDim, List<LayerSpec> layers) {
    public MlpSpec {
        if (inputDim <= 0) {
            throw new IllegalArgumentException("an MLP needs inputDim > 0, got " + inputDim);
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP needs at least one layer");
        }
        layers = List.copyOf(layers);
    }

    /** Width of the output rows. */
    public int outputDim() {
        return layers.get(layers.size() - 1).units();
    }
}
