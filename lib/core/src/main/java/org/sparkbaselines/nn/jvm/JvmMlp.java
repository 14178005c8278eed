package org.sparkbaselines.nn.jvm;

import java.util.SplittableRandom;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;

/**
 * The JVM backend's {@link Mlp}: dense layers on the Vector API kernels. Activations and gradients
 * live in padded row buffers owned by the network, grown to the largest batch seen; after that,
 * forward and backward allocate nothing. Outputs and input gradients are handed out as separate
 * rows of exactly the network's widths. Not thread-safe: each thread needs its own network.
 */
public final class JvmMlp extends JvmTrainable implements Mlp {
    /** Rows per pass of chained kernels (a layer's matmul then its activation, ...): their data stays in L1. */
    private static final int CHUNK_ROWS = 32;
    private final MlpSpec spec;
    private final DenseLayer[] layers;
    /** Rows the buffers hold; -1 before the first forward. */
    private int capacity = -1;
    /** {@code activations[0]}: a padded copy of the input; {@code activations[l]}: layer l's output. */
    private float[][][] activations;
    /** {@code deltas[l]}: dL/d(layer l's output), then dL/d(its pre-activation); {@code deltas[0]}: dL/dinput. */
    private float[][][] deltas;
    private float[][] outputRows;
    private float[][] inputGradRows;
    private int forwardBatch = -1;

    JvmMlp(MlpSpec spec, long seed) {
        this(spec, createLayers(spec));
        for (int l = 0; l < layers.length; l++) {
            DenseLayer layer = layers[l];
            LayerSpec layerSpec = spec.layers().get(l);
            float[] w = Initializers.orthogonal(layer.in, layer.out, layerSpec.initGain(), new SplittableRandom(seed + l));
            layer.weights.fromRowMajor(w, layer.weights.values);
        }
    }

    private JvmMlp(MlpSpec spec, DenseLayer[] layers) {
        super(parametersOf(layers));
        this.spec = spec;
        this.layers = layers;
    }

    private static DenseLayer[] createLayers(MlpSpec spec) {
        DenseLayer[] layers = new DenseLayer[spec.layers().size()];
        int in = spec.inputDim();
        for (int l = 0; l < layers.length; l++) {
            layers[l] = DenseLayer.create(spec.layers().get(l), in);
            in = layers[l].out;
        }
        return layers;
    }

    private static Parameter[] parametersOf(DenseLayer[] layers) {
        Parameter[] parameters = new Parameter[2 * layers.length];
        for (int l = 0; l < layers.length; l++) {
            parameters[2 * l] = layers[l].weights;
            parameters[2 * l + 1] = layers[l].bias;
        }
        return parameters;
    }

    @Override
    public MlpSpec spec() {
        return spec;
    }

    @Override
    public float[][] forward(float[][] input, int batch) {
        ensureCapacity(batch);
        int inputDim = spec.inputDim();
        for (int r = 0; r < batch; r++) {
            System.arraycopy(input[r], 0, activations[0][r], 0, inputDim);
        }
        for (int from = 0; from < batch; from += CHUNK_ROWS) {
            int to = Math.min(batch, from + CHUNK_ROWS);
            for (int l = 0; l < layers.length; l++) {
                layers[l].forward(activations[l], activations[l + 1], from, to);
            }
        }
        copyRows(activations[layers.length], outputRows, batch, spec.outputDim());
        forwardBatch = batch;
        return outputRows;
    }

    @Override
    public float[][] backward(float[][] gradOutput, int batch, boolean needInputGrad) {
        if (batch > forwardBatch) {
            throw new IllegalStateException("backward over " + batch + " rows needs a forward over at least as many; the last forward had "
                    + Math.max(forwardBatch, 0));
        }
        int top = layers.length;
        copyRows(gradOutput, deltas[top], batch, spec.outputDim());
        layers[top - 1].activationBackward(deltas[top], activations[top], 0, batch);
        for (int l = top; l >= 1; l--) {
            DenseLayer layer = layers[l - 1];
            layer.accumulateWeightGradient(activations[l - 1], deltas[l], batch);
            if (l > 1) {
                DenseLayer below = layers[l - 2];
                for (int from = 0; from < batch; from += CHUNK_ROWS) {
                    int to = Math.min(batch, from + CHUNK_ROWS);
                    layer.propagate(deltas[l], deltas[l - 1], from, to);
                    below.activationBackward(deltas[l - 1], activations[l - 1], from, to);
                }
            } else if (needInputGrad) {
                layer.propagate(deltas[1], deltas[0], 0, batch);
            }
        }
        if (!needInputGrad) {
            return null;
        }
        copyRows(deltas[0], inputGradRows, batch, spec.inputDim());
        return inputGradRows;
    }

    @Override
    void parametersUpdated() {
        for (DenseLayer layer : layers) {
            layer.parametersUpdated();
        }
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        int n = layers.length;
        activations = new float[n + 1][][];
        deltas = new float[n + 1][][];
        activations[0] = new float[batch][layers[0].inWidth()];
        deltas[0] = new float[batch][layers[0].inWidth()];
        for (int l = 1; l <= n; l++) {
            activations[l] = new float[batch][layers[l - 1].outWidth()];
            deltas[l] = new float[batch][layers[l - 1].outWidth()];
        }
        outputRows = new float[batch][spec.outputDim()];
        inputGradRows = new float[batch][spec.inputDim()];
        capacity = batch;
    }

    private static void copyRows(float[][] from, float[][] to, int batch, int width) {
        for (int r = 0; r < batch; r++) {
            System.arraycopy(from[r], 0, to[r], 0, width);
        }
    }
}
