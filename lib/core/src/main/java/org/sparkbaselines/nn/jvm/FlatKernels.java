package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.sparkbaselines.nn.Activation;

/**
 * The Vector-API kernels of the autodiff tape ({@link org.sparkbaselines.nn.tape.Tape}), on matrices
 * stored flat and row-major ({@code rows x cols}, entry {@code (i, j)} at {@code i * cols + j}, no
 * padding). Activations are those of the dense layers ({@link ActivationKernels}: the same tanh
 * approximation, so a value does not depend on which path computed it). Nothing is allocated.
 */
public final class FlatKernels {
    private FlatKernels() {
    }

    /**
     * {@code y += x w}: {@code x} is {@code rows x depth}, {@code w} is {@code depth x cols}, {@code y} is {@code rows x cols}.
     * Outputs narrower than a vector, over at least 4 rows, are dot products against {@code w} transposed into {@code scratch} (at least
     * {@code cols * depth} floats); wider ones run in tiles of 4 rows by 2 vectors, each load of {@code w} serving 4 rows.
     */
    public static void multiplyAccumulate(float[] x, int rows, int depth, float[] w, int cols, float[] y, float[] scratch) {
        // Transposing w pays for itself over a few rows, not for one observation.
        if (cols < LANES && depth >= LANES && rows >= 4) {
            transpose(w, depth, cols, scratch, 0);
            multiplyAccumulateByRows(x, rows, depth, scratch, cols, y, 0);
        } else {
            int tail = tilesEnd(cols);
            if (tail < cols && rows >= 4) {
                transposeColumns(w, depth, cols, tail, scratch);
            }
            multiplyAccumulateTiles(x, rows, depth, w, 0, cols, y, scratch);
        }
    }

    /**
     * {@code y += x wt^T}: {@code wt} is {@code cols x depth} (the transpose of {@link #multiplyAccumulate}'s {@code w}), as
     * when back-propagating through a layer; {@code scratch} holds at least {@code cols * depth} floats.
     */
    public static void multiplyAccumulateTransposed(float[] x, int rows, int depth, float[] wt, int cols, float[] y, float[] scratch) {
        if (cols < LANES && depth >= LANES) {
            multiplyAccumulateByRows(x, rows, depth, wt, cols, y, 0);
        } else if (rows % (2 * LANES) == 0 && rows * (depth + cols) < cols * depth) {
            // Fewer rows than the weights have: y^T = wt x^T moves x and y through the transposes instead of wt.
            int product = cols * rows;
            transpose(x, rows, depth, scratch, product);
            java.util.Arrays.fill(scratch, 0, product, 0f);
            multiplyAccumulateTiles(wt, cols, depth, scratch, product, rows, scratch, null);
            transpose(scratch, cols, rows, y, 0, true);
        } else {
            transpose(wt, cols, depth, scratch, 0);
            multiplyAccumulateTiles(x, rows, depth, scratch, 0, cols, y, wt);
        }
    }

    /** Where the tiles of two vectors end: the columns after it are fewer than two vectors. */
    private static int tilesEnd(int cols) {
        return cols - cols % (2 * LANES);
    }

    /** Rows {@code from ..} of {@code wt = w^T} ({@code w} is {@code depth x cols}): the columns of {@code w} the tiles leave. */
    private static void transposeColumns(float[] w, int depth, int cols, int from, float[] wt) {
        for (int k = 0; k < depth; k++) {
            for (int j = from; j < cols; j++) {
                wt[j * depth + k] = w[k * cols + j];
            }
        }
    }

    /**
     * {@code y += x w} in tiles of 4 rows by 2 vectors, {@code w} starting at {@code wOffset}; the columns after the last
     * tile, for those rows, as dot products against their rows in {@code wt} ({@code w^T}, at least those rows filled),
     * whose reads are contiguous where the columns' are strided.
     */
    private static void multiplyAccumulateTiles(float[] x, int rows, int depth, float[] w, int wOffset, int cols, float[] y,
            float[] wt) {
        int pairs = tilesEnd(cols);
        int blocks = cols - cols % (4 * LANES);
        int quads = rows - rows % 4;
        for (int i = 0; i < quads; i += 4) {
            int x0 = i * depth;
            int y0 = i * cols;
            for (int j = 0; j < blocks; j += 4 * LANES) {
                multiplyAccumulateWideTile(x, x0, depth, w, wOffset + j, cols, y, y0 + j);
            }
            for (int j = blocks; j < pairs; j += 2 * LANES) {
                FloatVector a0 = FloatVector.fromArray(SPECIES, y, y0 + j);
                FloatVector b0 = FloatVector.fromArray(SPECIES, y, y0 + j + LANES);
                FloatVector a1 = FloatVector.fromArray(SPECIES, y, y0 + cols + j);
                FloatVector b1 = FloatVector.fromArray(SPECIES, y, y0 + cols + j + LANES);
                FloatVector a2 = FloatVector.fromArray(SPECIES, y, y0 + 2 * cols + j);
                FloatVector b2 = FloatVector.fromArray(SPECIES, y, y0 + 2 * cols + j + LANES);
                FloatVector a3 = FloatVector.fromArray(SPECIES, y, y0 + 3 * cols + j);
                FloatVector b3 = FloatVector.fromArray(SPECIES, y, y0 + 3 * cols + j + LANES);
                for (int k = 0; k < depth; k++) {
                    FloatVector wa = FloatVector.fromArray(SPECIES, w, wOffset + k * cols + j);
                    FloatVector wb = FloatVector.fromArray(SPECIES, w, wOffset + k * cols + j + LANES);
                    FloatVector v0 = FloatVector.broadcast(SPECIES, x[x0 + k]);
                    FloatVector v1 = FloatVector.broadcast(SPECIES, x[x0 + depth + k]);
                    FloatVector v2 = FloatVector.broadcast(SPECIES, x[x0 + 2 * depth + k]);
                    FloatVector v3 = FloatVector.broadcast(SPECIES, x[x0 + 3 * depth + k]);
                    a0 = v0.fma(wa, a0);
                    b0 = v0.fma(wb, b0);
                    a1 = v1.fma(wa, a1);
                    b1 = v1.fma(wb, b1);
                    a2 = v2.fma(wa, a2);
                    b2 = v2.fma(wb, b2);
                    a3 = v3.fma(wa, a3);
                    b3 = v3.fma(wb, b3);
                }
                a0.intoArray(y, y0 + j);
                b0.intoArray(y, y0 + j + LANES);
                a1.intoArray(y, y0 + cols + j);
                b1.intoArray(y, y0 + cols + j + LANES);
                a2.intoArray(y, y0 + 2 * cols + j);
                b2.intoArray(y, y0 + 2 * cols + j + LANES);
                a3.intoArray(y, y0 + 3 * cols + j);
                b3.intoArray(y, y0 + 3 * cols + j + LANES);
            }
        }
        if (pairs < cols) {
            multiplyAccumulateByRows(x, quads, depth, wt, cols, y, pairs);
        }
        for (int r = quads; r < rows; r++) {
            multiplyAccumulateRow(x, r, depth, w, wOffset, cols, y);
        }
    }

    /**
     * Four rows by four vectors of {@code y += x w}, at {@code y[yAt..]} for the rows of {@code x} from {@code xAt}, columns
     * of {@code w} from {@code wAt}: 16 accumulators, each broadcast of {@code x} and load of {@code w} serving four FMAs
     * (with two vectors, a 64-wide layer ran about 20 % slower than the JVM backend's four-vector tiles).
     */
    private static void multiplyAccumulateWideTile(float[] x, int xAt, int depth, float[] w, int wAt, int cols, float[] y, int yAt) {
        int y1 = yAt + cols;
        int y2 = y1 + cols;
        int y3 = y2 + cols;
        FloatVector a0 = FloatVector.fromArray(SPECIES, y, yAt);
        FloatVector b0 = FloatVector.fromArray(SPECIES, y, yAt + LANES);
        FloatVector c0 = FloatVector.fromArray(SPECIES, y, yAt + 2 * LANES);
        FloatVector d0 = FloatVector.fromArray(SPECIES, y, yAt + 3 * LANES);
        FloatVector a1 = FloatVector.fromArray(SPECIES, y, y1);
        FloatVector b1 = FloatVector.fromArray(SPECIES, y, y1 + LANES);
        FloatVector c1 = FloatVector.fromArray(SPECIES, y, y1 + 2 * LANES);
        FloatVector d1 = FloatVector.fromArray(SPECIES, y, y1 + 3 * LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, y, y2);
        FloatVector b2 = FloatVector.fromArray(SPECIES, y, y2 + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, y, y2 + 2 * LANES);
        FloatVector d2 = FloatVector.fromArray(SPECIES, y, y2 + 3 * LANES);
        FloatVector a3 = FloatVector.fromArray(SPECIES, y, y3);
        FloatVector b3 = FloatVector.fromArray(SPECIES, y, y3 + LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, y, y3 + 2 * LANES);
        FloatVector d3 = FloatVector.fromArray(SPECIES, y, y3 + 3 * LANES);
        for (int k = 0; k < depth; k++) {
            int wk = wAt + k * cols;
            FloatVector wa = FloatVector.fromArray(SPECIES, w, wk);
            FloatVector wb = FloatVector.fromArray(SPECIES, w, wk + LANES);
            FloatVector wc = FloatVector.fromArray(SPECIES, w, wk + 2 * LANES);
            FloatVector wd = FloatVector.fromArray(SPECIES, w, wk + 3 * LANES);
            FloatVector v = FloatVector.broadcast(SPECIES, x[xAt + k]);
            a0 = v.fma(wa, a0);
            b0 = v.fma(wb, b0);
            c0 = v.fma(wc, c0);
            d0 = v.fma(wd, d0);
            v = FloatVector.broadcast(SPECIES, x[xAt + depth + k]);
            a1 = v.fma(wa, a1);
            b1 = v.fma(wb, b1);
            c1 = v.fma(wc, c1);
            d1 = v.fma(wd, d1);
            v = FloatVector.broadcast(SPECIES, x[xAt + 2 * depth + k]);
            a2 = v.fma(wa, a2);
            b2 = v.fma(wb, b2);
            c2 = v.fma(wc, c2);
            d2 = v.fma(wd, d2);
            v = FloatVector.broadcast(SPECIES, x[xAt + 3 * depth + k]);
            a3 = v.fma(wa, a3);
            b3 = v.fma(wb, b3);
            c3 = v.fma(wc, c3);
            d3 = v.fma(wd, d3);
        }
        MatrixKernels.storeBlock(a0, b0, c0, d0, y, yAt);
        MatrixKernels.storeBlock(a1, b1, c1, d1, y, y1);
        MatrixKernels.storeBlock(a2, b2, c2, d2, y, y2);
        MatrixKernels.storeBlock(a3, b3, c3, d3, y, y3);
    }

    /** Row {@code i} of {@code y += x w} ({@code w} from {@code wOffset}): whole vectors, then one by one. */
    private static void multiplyAccumulateRow(float[] x, int i, int depth, float[] w, int wOffset, int cols, float[] y) {
        int blocks = cols / (4 * LANES) * (4 * LANES);
        int vectors = cols - cols % LANES;
        int yRow = i * cols;
        int xRow = i * depth;
        // Four independent accumulators: one chain of dependent FMAs would wait on each one's latency.
        for (int j = 0; j < blocks; j += 4 * LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, yRow + j);
            FloatVector a1 = FloatVector.fromArray(SPECIES, y, yRow + j + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, y, yRow + j + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, y, yRow + j + 3 * LANES);
            for (int k = 0; k < depth; k++) {
                FloatVector xk = FloatVector.broadcast(SPECIES, x[xRow + k]);
                int wRow = wOffset + k * cols + j;
                a0 = xk.fma(FloatVector.fromArray(SPECIES, w, wRow), a0);
                a1 = xk.fma(FloatVector.fromArray(SPECIES, w, wRow + LANES), a1);
                a2 = xk.fma(FloatVector.fromArray(SPECIES, w, wRow + 2 * LANES), a2);
                a3 = xk.fma(FloatVector.fromArray(SPECIES, w, wRow + 3 * LANES), a3);
            }
            a0.intoArray(y, yRow + j);
            a1.intoArray(y, yRow + j + LANES);
            a2.intoArray(y, yRow + j + 2 * LANES);
            a3.intoArray(y, yRow + j + 3 * LANES);
        }
        for (int j = blocks; j < vectors; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, y, yRow + j);
            for (int k = 0; k < depth; k++) {
                a = FloatVector.broadcast(SPECIES, x[xRow + k]).fma(FloatVector.fromArray(SPECIES, w, wOffset + k * cols + j), a);
            }
            a.intoArray(y, yRow + j);
        }
        int quads = depth - depth % 4;
        for (int j = vectors; j < cols; j++) {
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            for (int k = 0; k < quads; k += 4) {
                a0 = Math.fma(x[xRow + k], w[wOffset + k * cols + j], a0);
                a1 = Math.fma(x[xRow + k + 1], w[wOffset + (k + 1) * cols + j], a1);
                a2 = Math.fma(x[xRow + k + 2], w[wOffset + (k + 2) * cols + j], a2);
                a3 = Math.fma(x[xRow + k + 3], w[wOffset + (k + 3) * cols + j], a3);
            }
            for (int k = quads; k < depth; k++) {
                a0 = Math.fma(x[xRow + k], w[wOffset + k * cols + j], a0);
            }
            y[yRow + j] += (a0 + a1) + (a2 + a3);
        }
    }

    /**
     * {@code y[i][j] += dot(x[i], wt[j])} for columns {@code j >= from}: {@code wt} is {@code cols x depth}. Four rows at a
     * time, each load of {@code wt} serving four independent FMA chains: one chain per dot product waited on each FMA's
     * latency (a policy head's 256 x 64 by 64 x 2 took 5 µs). Each dot product's order of operations is the same either way.
     */
    private static void multiplyAccumulateByRows(float[] x, int rows, int depth, float[] wt, int cols, float[] y, int from) {
        int vectors = depth - depth % LANES;
        int quads = rows - rows % 4;
        for (int i = 0; i < quads; i += 4) {
            int x0 = i * depth;
            int x1 = x0 + depth;
            int x2 = x1 + depth;
            int x3 = x2 + depth;
            for (int j = from; j < cols; j++) {
                int wRow = j * depth;
                FloatVector a0 = FloatVector.zero(SPECIES);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int k = 0; k < vectors; k += LANES) {
                    FloatVector w = FloatVector.fromArray(SPECIES, wt, wRow + k);
                    a0 = FloatVector.fromArray(SPECIES, x, x0 + k).fma(w, a0);
                    a1 = FloatVector.fromArray(SPECIES, x, x1 + k).fma(w, a1);
                    a2 = FloatVector.fromArray(SPECIES, x, x2 + k).fma(w, a2);
                    a3 = FloatVector.fromArray(SPECIES, x, x3 + k).fma(w, a3);
                }
                y[i * cols + j] += dotTail(a0.reduceLanes(VectorOperators.ADD), x, x0, wt, wRow, vectors, depth);
                y[(i + 1) * cols + j] += dotTail(a1.reduceLanes(VectorOperators.ADD), x, x1, wt, wRow, vectors, depth);
                y[(i + 2) * cols + j] += dotTail(a2.reduceLanes(VectorOperators.ADD), x, x2, wt, wRow, vectors, depth);
                y[(i + 3) * cols + j] += dotTail(a3.reduceLanes(VectorOperators.ADD), x, x3, wt, wRow, vectors, depth);
            }
        }
        for (int i = quads; i < rows; i++) {
            int xRow = i * depth;
            for (int j = from; j < cols; j++) {
                int wRow = j * depth;
                FloatVector a = FloatVector.zero(SPECIES);
                for (int k = 0; k < vectors; k += LANES) {
                    a = FloatVector.fromArray(SPECIES, x, xRow + k).fma(FloatVector.fromArray(SPECIES, wt, wRow + k), a);
                }
                y[i * cols + j] += dotTail(a.reduceLanes(VectorOperators.ADD), x, xRow, wt, wRow, vectors, depth);
            }
        }
    }

    /** {@code sum} plus the products of entries {@code [from, depth)} of a row of {@code x} and one of {@code wt}. */
    private static float dotTail(float sum, float[] x, int xRow, float[] wt, int wRow, int from, int depth) {
        for (int k = from; k < depth; k++) {
            sum = Math.fma(x[xRow + k], wt[wRow + k], sum);
        }
        return sum;
    }

    /**
     * {@code g += x^T d}: {@code x} is {@code rows x depth}, {@code d} is {@code rows x cols}, {@code g} is {@code depth x cols}.
     * Tiles of 4 rows of {@code g} by 2 vectors keep 8 accumulators in registers, so each row of {@code d} read serves 4 of {@code g}.
     */
    public static void accumulateTransposedProduct(float[] x, int rows, int depth, float[] d, int cols, float[] g) {
        if (cols < LANES && depth >= LANES) {
            accumulateNarrowTransposedProduct(x, rows, depth, d, cols, g, 0);
            return;
        }
        int pairs = tilesEnd(cols);
        int blocks = cols - cols % (4 * LANES);
        int quads = depth - depth % 4;
        for (int k = 0; k < quads; k += 4) {
            int g0 = k * cols;
            int g1 = g0 + cols;
            int g2 = g1 + cols;
            int g3 = g2 + cols;
            for (int j = 0; j < blocks; j += 4 * LANES) {
                accumulateTransposedWideTile(x, rows, depth, k, d, cols, j, g);
            }
            for (int j = blocks; j < pairs; j += 2 * LANES) {
                FloatVector a0 = FloatVector.fromArray(SPECIES, g, g0 + j);
                FloatVector b0 = FloatVector.fromArray(SPECIES, g, g0 + j + LANES);
                FloatVector a1 = FloatVector.fromArray(SPECIES, g, g1 + j);
                FloatVector b1 = FloatVector.fromArray(SPECIES, g, g1 + j + LANES);
                FloatVector a2 = FloatVector.fromArray(SPECIES, g, g2 + j);
                FloatVector b2 = FloatVector.fromArray(SPECIES, g, g2 + j + LANES);
                FloatVector a3 = FloatVector.fromArray(SPECIES, g, g3 + j);
                FloatVector b3 = FloatVector.fromArray(SPECIES, g, g3 + j + LANES);
                for (int i = 0; i < rows; i++) {
                    FloatVector da = FloatVector.fromArray(SPECIES, d, i * cols + j);
                    FloatVector db = FloatVector.fromArray(SPECIES, d, i * cols + j + LANES);
                    int xi = i * depth + k;
                    FloatVector x0 = FloatVector.broadcast(SPECIES, x[xi]);
                    FloatVector x1 = FloatVector.broadcast(SPECIES, x[xi + 1]);
                    FloatVector x2 = FloatVector.broadcast(SPECIES, x[xi + 2]);
                    FloatVector x3 = FloatVector.broadcast(SPECIES, x[xi + 3]);
                    a0 = x0.fma(da, a0);
                    b0 = x0.fma(db, b0);
                    a1 = x1.fma(da, a1);
                    b1 = x1.fma(db, b1);
                    a2 = x2.fma(da, a2);
                    b2 = x2.fma(db, b2);
                    a3 = x3.fma(da, a3);
                    b3 = x3.fma(db, b3);
                }
                a0.intoArray(g, g0 + j);
                b0.intoArray(g, g0 + j + LANES);
                a1.intoArray(g, g1 + j);
                b1.intoArray(g, g1 + j + LANES);
                a2.intoArray(g, g2 + j);
                b2.intoArray(g, g2 + j + LANES);
                a3.intoArray(g, g3 + j);
                b3.intoArray(g, g3 + j + LANES);
            }
        }
        for (int k = quads; k < depth; k++) {
            accumulateTransposedColumns(x, rows, depth, d, cols, g, k, 0, pairs);
        }
        if (pairs < cols) {
            // The columns after the tiles: vectors along x's rows, as for a narrow d.
            accumulateNarrowTransposedProduct(x, rows, depth, d, cols, g, pairs);
        }
    }

    /**
     * Rows {@code k .. k+3} by four vectors from column {@code j} of {@code g += x^T d}: 16 accumulators, each load of
     * {@code d} serving four rows of {@code g} and each broadcast of {@code x} four vectors.
     */
    private static void accumulateTransposedWideTile(float[] x, int rows, int depth, int k, float[] d, int cols, int j, float[] g) {
        int g0 = k * cols + j;
        int g1 = g0 + cols;
        int g2 = g1 + cols;
        int g3 = g2 + cols;
        FloatVector a0 = FloatVector.fromArray(SPECIES, g, g0);
        FloatVector b0 = FloatVector.fromArray(SPECIES, g, g0 + LANES);
        FloatVector c0 = FloatVector.fromArray(SPECIES, g, g0 + 2 * LANES);
        FloatVector e0 = FloatVector.fromArray(SPECIES, g, g0 + 3 * LANES);
        FloatVector a1 = FloatVector.fromArray(SPECIES, g, g1);
        FloatVector b1 = FloatVector.fromArray(SPECIES, g, g1 + LANES);
        FloatVector c1 = FloatVector.fromArray(SPECIES, g, g1 + 2 * LANES);
        FloatVector e1 = FloatVector.fromArray(SPECIES, g, g1 + 3 * LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, g, g2);
        FloatVector b2 = FloatVector.fromArray(SPECIES, g, g2 + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, g, g2 + 2 * LANES);
        FloatVector e2 = FloatVector.fromArray(SPECIES, g, g2 + 3 * LANES);
        FloatVector a3 = FloatVector.fromArray(SPECIES, g, g3);
        FloatVector b3 = FloatVector.fromArray(SPECIES, g, g3 + LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, g, g3 + 2 * LANES);
        FloatVector e3 = FloatVector.fromArray(SPECIES, g, g3 + 3 * LANES);
        for (int i = 0; i < rows; i++) {
            int di = i * cols + j;
            FloatVector da = FloatVector.fromArray(SPECIES, d, di);
            FloatVector db = FloatVector.fromArray(SPECIES, d, di + LANES);
            FloatVector dc = FloatVector.fromArray(SPECIES, d, di + 2 * LANES);
            FloatVector de = FloatVector.fromArray(SPECIES, d, di + 3 * LANES);
            int xi = i * depth + k;
            FloatVector v = FloatVector.broadcast(SPECIES, x[xi]);
            a0 = v.fma(da, a0);
            b0 = v.fma(db, b0);
            c0 = v.fma(dc, c0);
            e0 = v.fma(de, e0);
            v = FloatVector.broadcast(SPECIES, x[xi + 1]);
            a1 = v.fma(da, a1);
            b1 = v.fma(db, b1);
            c1 = v.fma(dc, c1);
            e1 = v.fma(de, e1);
            v = FloatVector.broadcast(SPECIES, x[xi + 2]);
            a2 = v.fma(da, a2);
            b2 = v.fma(db, b2);
            c2 = v.fma(dc, c2);
            e2 = v.fma(de, e2);
            v = FloatVector.broadcast(SPECIES, x[xi + 3]);
            a3 = v.fma(da, a3);
            b3 = v.fma(db, b3);
            c3 = v.fma(dc, c3);
            e3 = v.fma(de, e3);
        }
        MatrixKernels.storeBlock(a0, b0, c0, e0, g, g0);
        MatrixKernels.storeBlock(a1, b1, c1, e1, g, g1);
        MatrixKernels.storeBlock(a2, b2, c2, e2, g, g2);
        MatrixKernels.storeBlock(a3, b3, c3, e3, g, g3);
    }

    /** {@code g += x^T d} for the columns {@code j >= from} of {@code d}: per column, vectors along {@code x}'s rows. */
    private static void accumulateNarrowTransposedProduct(float[] x, int rows, int depth, float[] d, int cols, float[] g, int from) {
        int vectors = depth - depth % LANES;
        for (int j = from; j < cols; j++) {
            for (int k = 0; k < vectors; k += LANES) {
                FloatVector a = FloatVector.zero(SPECIES);
                for (int i = 0; i < rows; i++) {
                    a = FloatVector.fromArray(SPECIES, x, i * depth + k).fma(FloatVector.broadcast(SPECIES, d[i * cols + j]), a);
                }
                for (int lane = 0; lane < LANES; lane++) {
                    g[(k + lane) * cols + j] += a.lane(lane);
                }
            }
            for (int k = vectors; k < depth; k++) {
                float a = g[k * cols + j];
                for (int i = 0; i < rows; i++) {
                    a = Math.fma(x[i * depth + k], d[i * cols + j], a);
                }
                g[k * cols + j] = a;
            }
        }
    }

    /** Row {@code k} of {@code g += x^T d}, columns {@code from .. to}: vectors, then one by one. */
    private static void accumulateTransposedColumns(float[] x, int rows, int depth, float[] d, int cols, float[] g, int k, int from, int to) {
        int gRow = k * cols;
        int vectors = from + (to - from) / LANES * LANES;
        for (int j = from; j < vectors; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, g, gRow + j);
            for (int i = 0; i < rows; i++) {
                a = FloatVector.broadcast(SPECIES, x[i * depth + k]).fma(FloatVector.fromArray(SPECIES, d, i * cols + j), a);
            }
            a.intoArray(g, gRow + j);
        }
        for (int j = vectors; j < to; j++) {
            float a = g[gRow + j];
            for (int i = 0; i < rows; i++) {
                a = Math.fma(x[i * depth + k], d[i * cols + j], a);
            }
            g[gRow + j] = a;
        }
    }

    /** {@code sums += } the column sums of the {@code rows x cols} matrix {@code d}. */
    public static void accumulateColumnSums(float[] d, int rows, int cols, float[] sums) {
        int vectors = cols - cols % LANES;
        for (int j = 0; j < vectors; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, sums, j);
            for (int i = 0; i < rows; i++) {
                a = a.add(FloatVector.fromArray(SPECIES, d, i * cols + j));
            }
            a.intoArray(sums, j);
        }
        for (int j = vectors; j < cols; j++) {
            float a = sums[j];
            for (int i = 0; i < rows; i++) {
                a += d[i * cols + j];
            }
            sums[j] = a;
        }
    }

    /** {@code sum of a[i]^2} over {@code [0, size)}, accumulated in float lanes (as the hand-derived optimizers' norm). */
    public static double sumOfSquares(float[] a, int size) {
        FloatVector even = FloatVector.zero(SPECIES);
        FloatVector odd = FloatVector.zero(SPECIES);
        int pairs = size - size % (2 * LANES);
        for (int i = 0; i < pairs; i += 2 * LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, i);
            FloatVector y = FloatVector.fromArray(SPECIES, a, i + LANES);
            even = x.fma(x, even);
            odd = y.fma(y, odd);
        }
        double sum = even.add(odd).reduceLanes(VectorOperators.ADD);
        for (int i = pairs; i < size; i++) {
            sum += a[i] * a[i];
        }
        return sum;
    }

    /** {@code a[i] *= factor} over {@code [0, size)}. */
    public static void scale(float[] a, int size, float factor) {
        int vectors = size - size % LANES;
        for (int i = 0; i < vectors; i += LANES) {
            FloatVector.fromArray(SPECIES, a, i).mul(factor).intoArray(a, i);
        }
        for (int i = vectors; i < size; i++) {
            a[i] *= factor;
        }
    }

    /** Sets each of the {@code rows} rows of {@code out} ({@code cols} wide) to {@code row}, or to zeros when {@code row} is null. */
    public static void fillRows(float[] row, int rows, int cols, float[] out) {
        if (row == null) {
            java.util.Arrays.fill(out, 0, rows * cols, 0f);
            return;
        }
        for (int i = 0; i < rows; i++) {
            System.arraycopy(row, 0, out, i * cols, cols);
        }
    }

    /** {@code dst = src^T}: {@code src} is {@code rows x cols}. */
    public static void transpose(float[] src, int rows, int cols, float[] dst, int dstOffset) {
        transpose(src, rows, cols, dst, dstOffset, false);
    }

    /** {@code dst = src^T}, or {@code dst += src^T} when {@code accumulate}. */
    private static void transpose(float[] src, int rows, int cols, float[] dst, int dstOffset, boolean accumulate) {
        // In blocks, so that the strided writes of a block stay in cache: a 256 x 256 matrix transposes several times faster.
        for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
            int i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
            for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
                int j1 = Math.min(cols, j0 + TRANSPOSE_BLOCK);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        int to = dstOffset + j * rows + i;
                        dst[to] = accumulate ? dst[to] + src[i * cols + j] : src[i * cols + j];
                    }
                }
            }
        }
    }

    private static final int TRANSPOSE_BLOCK = 16;

    /** Applies the activation in place to {@code values[0, size)}. */
    public static void activate(Activation activation, float[] values, int size) {
        if (activation == Activation.LINEAR) {
            return;
        }
        int vectors = size - size % LANES;
        ActivationKernels.activateRow(activation, values, vectors);
        for (int e = vectors; e < size; e++) {
            values[e] = activate(activation, values[e]);
        }
    }

    /**
     * {@code values[e] = Math.exp(values[e])} in double precision for {@code e} in {@code [from, to)}, in bulk: the Vector
     * API's exp, which rounded to float gives the floats {@code (float) Math.exp(x)} gives (none differed among 10^7 random
     * values), in a seventh of the time ({@link Math#exp} takes about 15 ns a value here). The last partial vector is masked,
     * so a value does not depend on its position. Doubles of the preferred shape only: converting from floats in a vector
     * of another shape was not always intrinsified, and then boxed every vector.
     */
    public static void exp(double[] values, int from, int to) {
        // Each loop names its operator: passed in as a parameter, it is not a constant, and C2 does not intrinsify it.
        for (int e = from; e < to; e += DOUBLE_LANES) {
            VectorMask<Double> inRange = DOUBLE_SPECIES.indexInRange(e, to);
            DoubleVector.fromArray(DOUBLE_SPECIES, values, e, inRange).lanewise(VectorOperators.EXP).intoArray(values, e, inRange);
        }
    }

    /** {@code values[e] = Math.log(values[e])} in double precision for {@code e} in {@code [from, to)}, as {@link #exp}. */
    public static void log(double[] values, int from, int to) {
        for (int e = from; e < to; e += DOUBLE_LANES) {
            VectorMask<Double> inRange = DOUBLE_SPECIES.indexInRange(e, to);
            DoubleVector.fromArray(DOUBLE_SPECIES, values, e, inRange).lanewise(VectorOperators.LOG).intoArray(values, e, inRange);
        }
    }

    /** {@code y[e] = x[e]} widened to double, for {@code e < size}. */
    public static void widen(float[] x, double[] y, int size) {
        for (int e = 0; e < size; e++) {
            y[e] = x[e];
        }
    }

    /** {@code y[e] = (float) x[e]} for {@code e < size}. */
    public static void narrow(double[] x, float[] y, int size) {
        for (int e = 0; e < size; e++) {
            y[e] = (float) x[e];
        }
    }

    private static final VectorSpecies<Double> DOUBLE_SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int DOUBLE_LANES = DOUBLE_SPECIES.length();

    /** The activation of one value, as {@link #activate(Activation, float[], int)} computes it. */
    public static float activate(Activation activation, float x) {
        return ActivationKernels.activate(activation, x);
    }

    /**
     * {@code out[e] = delta[e]} times the activation's derivative where its output is {@code y[e]}, for {@code e < size}.
     * One loop per activation, as in {@link ActivationKernels#activateRow}: a switch per vector merges the branches'
     * vectors, which C2 then boxes (this kernel took a fifth of PPO2's minibatch gradient that way).
     */
    public static void multiplyByDerivative(Activation activation, float[] delta, float[] y, float[] out, int size) {
        int vectors = size - size % LANES;
        switch (activation) {
            case TANH -> tanhDerivative(delta, y, out, vectors);
            case SIGMOID -> sigmoidDerivative(delta, y, out, vectors);
            case RELU -> reluDerivative(delta, y, out, vectors);
            case LINEAR -> System.arraycopy(delta, 0, out, 0, vectors);
        }
        for (int e = vectors; e < size; e++) {
            out[e] = ActivationKernels.multiplyByDerivative(activation, delta[e], y[e]);
        }
    }

    private static void tanhDerivative(float[] delta, float[] y, float[] out, int vectors) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int e = 0; e < vectors; e += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, y, e);
            FloatVector.fromArray(SPECIES, delta, e).mul(v.neg().fma(v, one)).intoArray(out, e);
        }
    }

    private static void sigmoidDerivative(float[] delta, float[] y, float[] out, int vectors) {
        for (int e = 0; e < vectors; e += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, y, e);
            FloatVector.fromArray(SPECIES, delta, e).mul(v.neg().fma(v, v)).intoArray(out, e);
        }
    }

    private static void reluDerivative(float[] delta, float[] y, float[] out, int vectors) {
        for (int e = 0; e < vectors; e += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, y, e);
            FloatVector.fromArray(SPECIES, delta, e).blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(out, e);
        }
    }

    /** The activation's derivative where its output is {@code y}. */
    public static float derivative(Activation activation, float y) {
        return ActivationKernels.multiplyByDerivative(activation, 1f, y);
    }

    /**
     * TensorFlow's ApplyAdam on {@code [from, to)}, the gradient scaled by {@code gradientScale} (global-norm clipping):
     * {@code m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); w -= rate m / (sqrt(v) + epsilon)}, {@code rate} the
     * bias-corrected learning rate; moments below the smallest normal float become zero, as in TensorFlow.
     */
    public static void adamUpdate(float[] w, float[] grads, float[] m, float[] v, int from, int to, float gradientScale, float oneMinusBeta1,
            float oneMinusBeta2, float rate, float epsilon) {
        FloatVector mDecay = FloatVector.broadcast(SPECIES, oneMinusBeta1);
        FloatVector vDecay = FloatVector.broadcast(SPECIES, oneMinusBeta2);
        FloatVector negativeRate = FloatVector.broadcast(SPECIES, -rate);
        int vectors = to - (to - from) % LANES;
        for (int i = from; i < vectors; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, grads, i).mul(gradientScale);
            FloatVector mi = FloatVector.fromArray(SPECIES, m, i);
            FloatVector vi = FloatVector.fromArray(SPECIES, v, i);
            mi = flushDenormals(g.sub(mi).fma(mDecay, mi));
            vi = flushDenormals(g.fma(g, vi.neg()).fma(vDecay, vi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector wi = FloatVector.fromArray(SPECIES, w, i);
            mi.div(vi.sqrt().add(epsilon)).fma(negativeRate, wi).intoArray(w, i);
        }
        for (int i = vectors; i < to; i++) {
            float g = grads[i] * gradientScale;
            m[i] = flushDenormal(Math.fma(g - m[i], oneMinusBeta1, m[i]));
            v[i] = flushDenormal(Math.fma(Math.fma(g, g, -v[i]), oneMinusBeta2, v[i]));
            w[i] = Math.fma(m[i] / ((float) Math.sqrt(v[i]) + epsilon), -rate, w[i]);
        }
    }

    /**
     * Zero where {@code |x|} is below the smallest normal float. The reference's TensorFlow runs its CPU kernels with
     * denormals flushed to zero; without it, the moments of a weight whose gradient stays zero (a dead ReLU's) decay
     * through the denormal range, where this machine's arithmetic is several times slower (DQN's Adam step took 60 µs
     * instead of 22).
     */
    private static FloatVector flushDenormals(FloatVector x) {
        return x.blend(0f, x.abs().lt(Float.MIN_NORMAL));
    }

    private static float flushDenormal(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    /**
     * TensorFlow's RMSProp on {@code [from, to)}, the gradient scaled by {@code gradientScale}:
     * {@code ms += (g^2 - ms)(1 - alpha); mom = momentum mom + rate g / sqrt(ms + epsilon); w -= mom}.
     */
    public static void rmsPropUpdate(float[] w, float[] grads, float[] ms, float[] mom, int from, int to, float gradientScale, float oneMinusAlpha,
            float momentum, float rate, float epsilon) {
        FloatVector msDecay = FloatVector.broadcast(SPECIES, oneMinusAlpha);
        FloatVector momentumFactor = FloatVector.broadcast(SPECIES, momentum);
        int vectors = to - (to - from) % LANES;
        for (int i = from; i < vectors; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, grads, i).mul(gradientScale);
            FloatVector msi = FloatVector.fromArray(SPECIES, ms, i);
            msi = g.fma(g, msi.neg()).fma(msDecay, msi);
            msi.intoArray(ms, i);
            FloatVector step = g.mul(rate).div(msi.add(epsilon).sqrt());
            FloatVector momi = FloatVector.fromArray(SPECIES, mom, i).fma(momentumFactor, step);
            momi.intoArray(mom, i);
            FloatVector.fromArray(SPECIES, w, i).sub(momi).intoArray(w, i);
        }
        for (int i = vectors; i < to; i++) {
            float g = grads[i] * gradientScale;
            ms[i] = Math.fma(Math.fma(g, g, -ms[i]), oneMinusAlpha, ms[i]);
            mom[i] = Math.fma(mom[i], momentum, g * rate / (float) Math.sqrt(ms[i] + epsilon));
            w[i] -= mom[i];
        }
    }
}
