package org.sparkbaselines.nn.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moves batches of Java rows into ND4J matrices and back. */
final class RowTransfer {
    /** Reused host copy of the rows; sized to the last batch so ND4J copies no stale tail. */
    private float[] staging = new float[0];

    /** A new {@code (batch, width)} float32 matrix holding rows {@code 0 .. batch-1}; errors name {@code what}. */
    INDArray toArray(float[][] rows, int batch, int width, String what) {
        if (batch <= 0 || rows.length < batch) {
            throw new IllegalArgumentException(what + ": batch must be in 1.." + rows.length + ", got " + batch);
        }
        int needed = batch * width;
        if (staging.length != needed) {
            staging = new float[needed];
        }
        for (int r = 0; r < batch; r++) {
            if (rows[r].length != width) {
                throw new IllegalArgumentException(what + " row " + r + " has " + rows[r].length + " values, expected " + width);
            }
            System.arraycopy(rows[r], 0, staging, r * width, width);
        }
        return Nd4j.create(staging, new long[] {batch, width}, new long[] {width, 1}, 'c', DataType.FLOAT);
    }

    /** {@code rows} if it has at least {@code batch} rows of {@code width}, else a larger buffer. */
    static float[][] ensureRows(float[][] rows, int batch, int width) {
        return rows.length >= batch ? rows : new float[batch][width];
    }

    /** Copies the {@code (batch, width)} matrix {@code source} (any element order) into {@code rows}. */
    static void copyRows(INDArray source, float[][] rows, int batch) {
        int width = (int) source.size(1);
        float[] rowMajor = source.dup('c').data().asFloat();
        for (int r = 0; r < batch; r++) {
            System.arraycopy(rowMajor, r * width, rows[r], 0, width);
        }
    }
}
