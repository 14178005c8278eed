package org.sparkbaselines.nn;

import java.util.LinkedHashMap;
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

    /**
     * The parameters' names and shapes, layer by layer: {@code <layer>/w:0} of shape (in, units), then
     * {@code <layer>/b:0} of shape (units), as every backend names them (see {@link LayerSpec}).
     */
    public LinkedHashMap<String, int[]> parameterShapes() {
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        int in = inputDim;
        for (LayerSpec layer : layers) {
            shapes.put(layer.name() + "/w:0", new int[] {in, layer.units()});
            shapes.put(layer.name() + "/b:0", new int[] {layer.units()});
            in = layer.units();
        }
        return shapes;
    }

    /** Width of the output rows. */
    public int outputDim() {
        return layers.get(layers.size() - 1).units();
    }
}
