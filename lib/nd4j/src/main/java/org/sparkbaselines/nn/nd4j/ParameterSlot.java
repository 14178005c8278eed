package org.sparkbaselines.nn.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where one named parameter sits inside a flat vector: its values, its gradient and each optimizer
 * moment are stored in flat vectors with the same layout, so one slot reads them all.
 *
 * @param name the public parameter name, e.g. {@code "model/pi_fc0/w:0"}
 * @param shape the public shape ({@code (in, units)} for weights, {@code (units)} for biases)
 * @param offset first element inside the flat vector
 * @param order element order inside the slot: DL4J stores dense weights column-major ({@code 'f'})
 */
record ParameterSlot(String name, int[] shape, long offset, char order) {

    /** Number of elements. */
    int length() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A view of this slot inside {@code flat} (a 1-D vector in this slot's layout), with the public shape. */
    INDArray view(INDArray flat) {
        long[] longShape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            longShape[i] = shape[i];
        }
        return flat.get(NDArrayIndex.interval(offset, offset + length())).reshape(order, longShape);
    }

    /** This slot's values inside {@code flat}, copied out row-major. */
    float[] readRowMajor(INDArray flat) {
        return view(flat).dup('c').data().asFloat();
    }

    /** Overwrites this slot inside {@code flat} with row-major {@code values} (already checked for size). */
    void writeRowMajor(INDArray flat, float[] values) {
        INDArray target = view(flat);
        target.assign(Nd4j.create(values, target.shape(), 'c'));
    }
}
