package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.BLOCK;
import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.paddedRows;
import static org.sparkbaselines.nn.jvm.MatrixKernels.roundUp;

import org.sparkbaselines.nn.LayerSpec;

/**
 * A layer narrower than a vector (or of a width that does not fill whole vectors), such as a policy
 * or value head. Stores W transposed, {@code (out, in)} rows padded to
 * {@link MatrixKernels#BLOCK}: each output is a dot product along a stored row, and the weight
 * gradient and dL/dinput tile along those rows, so no work is spent on padding columns.
 */
final class NarrowDenseLayer extends DenseLayer {
    private final float[] zeroRow;

    NarrowDenseLayer(LayerSpec spec, int in) {
        super(spec, in,
                Parameter.matrix(spec.name() + "/w:0", in, spec.units(), true, paddedRows(spec.units()), roundUp(in, BLOCK)),
                Parameter.vector(spec.name() + "/b:0", spec.units(), roundUp(spec.units(), LANES)));
        zeroRow = new float[inWidth()];
    }

    @Override
    void forward(float[][] input, float[][] output, int from, int to) {
        float[] w = weights.values;
        float[] b = bias.values;
        int stride = weights.stride();
        for (int r = from; r < to; r++) {
            float[] x = input[r];
            float[] y = output[r];
            for (int j = 0; j < out; j++) {
                y[j] = ActivationKernels.activate(activation, b[j] + MatrixKernels.dot(x, w, j * stride, stride));
            }
        }
    }

    @Override
    void activationBackward(float[][] delta, float[][] output, int from, int to) {
        float[] biasGrads = bias.grads;
        for (int r = from; r < to; r++) {
            float[] d = delta[r];
            float[] y = output[r];
            for (int j = 0; j < out; j++) {
                d[j] = ActivationKernels.multiplyByDerivative(activation, d[j], y[j]);
                biasGrads[j] += d[j];
            }
        }
    }

    @Override
    void accumulateWeightGradient(float[][] input, float[][] delta, int batch) {
        MatrixKernels.accumulateTransposedProduct(delta, input, batch, weights.grads, weights.stride(), out, inWidth());
    }

    @Override
    void propagate(float[][] delta, float[][] inputGrad, int from, int to) {
        MatrixKernels.multiplyRows(delta, out, weights.values, weights.stride(), zeroRow, inputGrad, from, to, inWidth());
    }
}
