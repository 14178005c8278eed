package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.TILE_ROWS;
import static org.sparkbaselines.nn.jvm.MatrixKernels.roundUp;

import org.sparkbaselines.nn.LayerSpec;

/**
 * A layer whose width is a whole number of vectors. Stores W as TensorFlow does, {@code (in, out)}
 * rows padded to {@link MatrixKernels#BLOCK} columns, which the forward tiles and the weight
 * gradient read along their vectors; dL/dinput reads W^T along its vectors, so a transposed copy is
 * rebuilt after each parameter change (once per update, ~1 µs for 64 x 64).
 */
final class WideDenseLayer extends DenseLayer {
    private final float[] transposedWeights;
    private final float[] zeroRow;
    private boolean transposeStale = true;

    WideDenseLayer(LayerSpec spec, int in) {
        super(spec, in,
                Parameter.matrix(spec.name() + "/w:0", in, spec.units(), false, roundUp(in, TILE_ROWS), roundUp(spec.units(), MatrixKernels.BLOCK)),
                Parameter.vector(spec.name() + "/b:0", spec.units(), roundUp(spec.units(), MatrixKernels.BLOCK)));
        transposedWeights = new float[out * inWidth()];
        zeroRow = new float[inWidth()];
    }

    @Override
    void forward(float[][] input, float[][] output, int from, int to) {
        MatrixKernels.multiplyRows(input, in, weights.values, weights.stride(), bias.values, output, from, to, outWidth());
        ActivationKernels.activate(activation, output, from, to, out);
    }

    @Override
    void multiplyByActivationDerivative(float[][] delta, float[][] output, int from, int to) {
        ActivationKernels.multiplyByDerivative(activation, delta, output, from, to, out);
    }

    @Override
    void accumulateGradients(float[][] input, float[][] delta, int batch) {
        MatrixKernels.accumulateTransposedProduct(input, delta, batch, weights.grads, weights.stride(), roundUp(in, TILE_ROWS), outWidth());
        MatrixKernels.accumulateColumnSums(delta, batch, bias.grads, outWidth());
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
