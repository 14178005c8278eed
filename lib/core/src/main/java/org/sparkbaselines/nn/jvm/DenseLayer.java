package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.BLOCK;
import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.roundUp;

import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.LayerSpec;

/**
 * One dense layer {@code y = act(x W + b)} over padded batch rows: inputs and outputs are rows of
 * {@link #inWidth()} and {@link #outWidth()} floats whose padding is zero. Two layouts, chosen by
 * width: {@link WideDenseLayer} for outputs that fill whole vectors (hidden layers), and
 * {@link NarrowDenseLayer} for a few outputs (policy and value heads).
 */
abstract class DenseLayer {
    final int in;
    final int out;
    final Activation activation;
    final Parameter weights;
    final Parameter bias;

    DenseLayer(LayerSpec spec, int in, Parameter weights, Parameter bias) {
        this.in = in;
        this.out = spec.units();
        this.activation = spec.activation();
        this.weights = weights;
        this.bias = bias;
    }

    /** The layout that suits {@code spec}'s width. */
    static DenseLayer create(LayerSpec spec, int in) {
        return spec.units() % LANES == 0 ? new WideDenseLayer(spec, in) : new NarrowDenseLayer(spec, in);
    }

    /** Padded width of input rows. */
    final int inWidth() {
        return roundUp(in, BLOCK);
    }

    /** Padded width of output rows. */
    final int outWidth() {
        return roundUp(out, BLOCK);
    }

    /** {@code output[r] = act(input[r] W + b)} for rows {@code r} in {@code [from, to)}. */
    abstract void forward(float[][] input, float[][] output, int from, int to);

    /**
     * Turns dL/doutput in {@code delta} rows {@code [from, to)} into dL/dpre-activation, in place,
     * from the forward's {@code output}, and adds those rows' bias gradient (the bias gradient is
     * the column sum of dL/dpre-activation, cheapest while the rows are in cache).
     */
    abstract void activationBackward(float[][] delta, float[][] output, int from, int to);

    /** Adds the weight gradient for dL/dpre-activation {@code delta} at layer input {@code input}. */
    abstract void accumulateWeightGradient(float[][] input, float[][] delta, int batch);

    /** {@code inputGrad[r] = delta[r] W^T} for rows {@code r} in {@code [from, to)}: dL/dinput from dL/dpre-activation. */
    abstract void propagate(float[][] delta, float[][] inputGrad, int from, int to);

    /** Called after the parameter values changed. */
    void parametersUpdated() {
    }
}
