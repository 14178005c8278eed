package org.sparkbaselines.nn.jvm;

import java.util.Arrays;

/**
 * One named parameter as the kernels store it, with its gradient in the same layout. A matrix of
 * TensorFlow shape {@code (rows, cols)} is kept flat with a padded row {@code stride}, either as is
 * (element {@code (i, j)} at {@code i * stride + j}) or transposed (at {@code j * stride + i}),
 * whichever the layer's kernels read fastest. Padding entries stay zero in values and gradients, so
 * optimizers can sweep whole arrays; every array's length is a multiple of
 * {@link MatrixKernels#LANES}.
 */
final class Parameter {
    final String name;
    final float[] values;
    final float[] grads;
    private final int[] shape;
    private final int rows;
    private final int cols;
    private final int stride;
    private final boolean transposed;

    private Parameter(String name, int[] shape, int rows, int cols, int stride, boolean transposed, int length) {
        this.name = name;
        this.shape = shape;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
        this.transposed = transposed;
        this.values = new float[length];
        this.grads = new float[length];
    }

    /**
     * A matrix of TensorFlow shape {@code (rows, cols)} stored in {@code storedRows} rows of
     * {@code stride} floats: {@code storedRows >= rows, stride >= cols} as stored, or, when
     * {@code transposed}, {@code storedRows >= cols, stride >= rows}.
     */
    static Parameter matrix(String name, int rows, int cols, boolean transposed, int storedRows, int stride) {
        return new Parameter(name, new int[] {rows, cols}, rows, cols, stride, transposed, storedRows * stride);
    }

    /** A vector of {@code size} entries stored in {@code length >= size} floats. */
    static Parameter vector(String name, int size, int length) {
        return new Parameter(name, new int[] {size}, 1, size, length, false, length);
    }

    /** The TensorFlow shape. */
    int[] shape() {
        return shape.clone();
    }

    /** Number of entries in the TensorFlow layout. */
    int size() {
        return rows * cols;
    }

    /** Row stride of the stored layout. */
    int stride() {
        return stride;
    }

    /** {@code stored} (values, gradients or an optimizer slot) copied out in TensorFlow's row-major layout. */
    float[] toRowMajor(float[] stored) {
        float[] out = new float[size()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = stored[index(i, j)];
            }
        }
        return out;
    }

    /** Writes TensorFlow row-major {@code rowMajor} into {@code stored}; padding is left as it is. */
    void fromRowMajor(float[] rowMajor, float[] stored) {
        checkSize("parameter", name, rowMajor);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                stored[index(i, j)] = rowMajor[i * cols + j];
            }
        }
    }

    /** An error naming {@code kind 'label'} unless {@code rowMajor} has this parameter's size (the message is built only then). */
    void checkSize(String kind, String label, float[] rowMajor) {
        if (rowMajor == null || rowMajor.length != size()) {
            throw new IllegalArgumentException(kind + " '" + label + "' needs " + size() + " values (shape " + Arrays.toString(shape) + "), got "
                    + (rowMajor == null ? "null" : rowMajor.length));
        }
    }

    /** A stored-layout array for optimizer state, every entry (padding too) {@code initialValue}. */
    float[] newSlot(float initialValue) {
        float[] slot = new float[values.length];
        Arrays.fill(slot, initialValue);
        return slot;
    }

    private int index(int i, int j) {
        return transposed ? j * stride + i : i * stride + j;
    }
}
