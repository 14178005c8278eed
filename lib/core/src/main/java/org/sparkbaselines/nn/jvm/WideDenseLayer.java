package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.BLOCK;
import static org.sparkbaselines.nn.jvm.MatrixKernels.paddedRows;
import static org.sparkbaselines.nn.jvm.MatrixKernels.roundUp;

import org.sparkbaselines.nn.LayerSpec;

/**
 * A layer whose width is a whole number of vectors. Stores W as TensorFlow does, {@code (in, out)}
 * rows padded to {@link MatrixKernels#BLOCK} columns, which the forward tiles and the weight
 * gradient read along their vectors; dL/dinput reads W^T along its vectors, so a transposed copy is
 * rebuilt lazily after each parameter change (once per update, ~2 µs for 64 x 64).
 */
final class WideDenseLayer extends DenseLayer {
    private final float[] transposedWeights;
    private final float[] zeroRow;
    private boolean transposeStale = true;

    WideDenseLayer(LayerSpec spec, int in) {
        super(spec, in,
                Parameter.matrix(spec.name() + "/w:0", in, spec.units(), false, paddedRows(in), roundUp(spec.units(), BLOCK)),
                Parameter.vector(spec.name() + "/b:0", spec.units(), roundUp(spec.units(), BLOCK)));
        transposedWeights = new float[out * inWidth()];
        zeroRow = new float[inWidth()];
    }

    @Override
    void forward(float[][] input, float[][] output, int from, int to) {
        MatrixKernels.multiplyRows(input, in, weights.values, weights.stride(), bias.values, output, from, to, outWidth());
        ActivationKernels.activate(activation, output, from, to, out);
    }

    @Override
    void activationBackward(float[][] delta, float[][] output, int from, int to) {
        ActivationKernels.multiplyByDerivative(activation, delta, output, from, to, out);
        MatrixKernels.accumulateColumnSums(delta, from, to, bias.grads, outWidth());
    }

    @Override
    void accumulateWeightGradient(float[][] input, float[][] delta, int batch) {
        MatrixKernels.accumulateTransposedProduct(input, delta, batch, weights.grads, weights.stride(), in, outWidth());
    }

    @Override
    void propagate(float[][] delta, float[][] inputGrad, int from, int to) {
        if (transposeStale) {
            MatrixKernels.transpose(weights.values, weights.stride(), in, out, transposedWeights, inWidth());
            transposeStale = false;
        }
        MatrixKernels.multiplyRows(delta, out, transposedWeights, inWidth(), zeroRow, inputGrad, from, to, inWidth());
    }

    @Override
    void parametersUpdated() {
        transposeStale = true;
    }
}
