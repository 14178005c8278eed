package org.sparkbaselines.nn.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled matrix kernels over padded storage: batch data as {@code float[][]} rows, weights as
 * flat row-major arrays with a row stride. Vectorised dimensions are padded to a multiple of
 * {@link #BLOCK} with zeros, and weight matrices to {@link #paddedRows} rows, so no kernel has a
 * tail loop or a mask.
 *
 * <p>Why they look like this (each measured): a tile of 4 rows x 4 vectors keeps 16 accumulators in
 * registers through the whole reduction loop; each tile is its own small method with one loop and
 * no vector crossing a call or a branch, so C2 inlines every Vector API call within its node budget
 * and keeps the vectors in registers instead of boxing them (one accumulator too many, or a call it
 * declines to inline, and a kernel runs 10-100x slower); the species is a {@code static final}
 * constant, without which the Vector API falls back to slow generic code.
 */
final class MatrixKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Columns one register tile covers (four vectors); vectorised dimensions are padded to a multiple of it. */
    static final int BLOCK = 4 * LANES;
    /** Rows (or reduction rows) one register tile covers. */
    static final int TILE_ROWS = 4;
    // Lane permutations that fold a vector onto itself at distance 8, 4, 2, 1 (as far as it has lanes).
    private static final VectorShuffle<Float> FOLD_8 = fold(8);
    private static final VectorShuffle<Float> FOLD_4 = fold(4);
    private static final VectorShuffle<Float> FOLD_2 = fold(2);
    private static final VectorShuffle<Float> FOLD_1 = fold(1);

    private MatrixKernels() {
    }

    /** {@code n} rounded up to a multiple of {@code multiple}. */
    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** Rows to store of a weight matrix with {@code rows} rows: an even number, as the single-row tile reads rows in pairs. */
    static int paddedRows(int rows) {
        return roundUp(rows, 2);
    }

    /**
     * {@code c[r][0, cols) = init[0, cols) + sum over k < depth of a[r][k] * b[k * bStride + (0, cols)]}
     * for rows {@code r} in {@code [from, to)}; {@code cols} is a multiple of {@link #BLOCK}.
     */
    static void multiplyRows(float[][] a, int depth, float[] b, int bStride, float[] init, float[][] c, int from, int to, int cols) {
        int r = from;
        for (; r + TILE_ROWS <= to; r += TILE_ROWS) {
            for (int col = 0; col < cols; col += BLOCK) {
                multiplyTile(a[r], a[r + 1], a[r + 2], a[r + 3], depth, b, bStride, col, init, c[r], c[r + 1], c[r + 2], c[r + 3]);
            }
        }
        for (; r < to; r++) {
            for (int col = 0; col < cols; col += BLOCK) {
                multiplyRowTile(a[r], depth, b, bStride, col, init, c[r]);
            }
        }
    }

    /** Four rows by one block of {@link #multiplyRows}. */
    private static void multiplyTile(float[] a0, float[] a1, float[] a2, float[] a3, int depth, float[] b, int bStride, int col,
            float[] init, float[] c0, float[] c1, float[] c2, float[] c3) {
        FloatVector i0 = FloatVector.fromArray(SPECIES, init, col);
        FloatVector i1 = FloatVector.fromArray(SPECIES, init, col + LANES);
        FloatVector i2 = FloatVector.fromArray(SPECIES, init, col + 2 * LANES);
        FloatVector i3 = FloatVector.fromArray(SPECIES, init, col + 3 * LANES);
        FloatVector s00 = i0, s01 = i1, s02 = i2, s03 = i3;
        FloatVector s10 = i0, s11 = i1, s12 = i2, s13 = i3;
        FloatVector s20 = i0, s21 = i1, s22 = i2, s23 = i3;
        FloatVector s30 = i0, s31 = i1, s32 = i2, s33 = i3;
        for (int k = 0, offset = col; k < depth; k++, offset += bStride) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, b, offset);
            FloatVector w1 = FloatVector.fromArray(SPECIES, b, offset + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, b, offset + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, b, offset + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a0[k]);
            s00 = w0.fma(x, s00);
            s01 = w1.fma(x, s01);
            s02 = w2.fma(x, s02);
            s03 = w3.fma(x, s03);
            x = FloatVector.broadcast(SPECIES, a1[k]);
            s10 = w0.fma(x, s10);
            s11 = w1.fma(x, s11);
            s12 = w2.fma(x, s12);
            s13 = w3.fma(x, s13);
            x = FloatVector.broadcast(SPECIES, a2[k]);
            s20 = w0.fma(x, s20);
            s21 = w1.fma(x, s21);
            s22 = w2.fma(x, s22);
            s23 = w3.fma(x, s23);
            x = FloatVector.broadcast(SPECIES, a3[k]);
            s30 = w0.fma(x, s30);
            s31 = w1.fma(x, s31);
            s32 = w2.fma(x, s32);
            s33 = w3.fma(x, s33);
        }
        storeBlock(s00, s01, s02, s03, c0, col);
        storeBlock(s10, s11, s12, s13, c1, col);
        storeBlock(s20, s21, s22, s23, c2, col);
        storeBlock(s30, s31, s32, s33, c3, col);
    }

    /**
     * One row by one block of {@link #multiplyRows}: the leftover rows, and single observations, whose
     * latency this bounds: two accumulators per column vector (even and odd k) halve the FMA chains.
     * An odd depth reads one zero-padding entry of {@code a} and row of {@code b}.
     */
    private static void multiplyRowTile(float[] a, int depth, float[] b, int bStride, int col, float[] init, float[] c) {
        FloatVector e0 = FloatVector.fromArray(SPECIES, init, col);
        FloatVector e1 = FloatVector.fromArray(SPECIES, init, col + LANES);
        FloatVector e2 = FloatVector.fromArray(SPECIES, init, col + 2 * LANES);
        FloatVector e3 = FloatVector.fromArray(SPECIES, init, col + 3 * LANES);
        FloatVector o0 = FloatVector.zero(SPECIES);
        FloatVector o1 = o0;
        FloatVector o2 = o0;
        FloatVector o3 = o0;
        for (int k = 0, offset = col; k < depth; k += 2, offset += 2 * bStride) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[k]);
            e0 = FloatVector.fromArray(SPECIES, b, offset).fma(x, e0);
            e1 = FloatVector.fromArray(SPECIES, b, offset + LANES).fma(x, e1);
            e2 = FloatVector.fromArray(SPECIES, b, offset + 2 * LANES).fma(x, e2);
            e3 = FloatVector.fromArray(SPECIES, b, offset + 3 * LANES).fma(x, e3);
            int next = offset + bStride;
            x = FloatVector.broadcast(SPECIES, a[k + 1]);
            o0 = FloatVector.fromArray(SPECIES, b, next).fma(x, o0);
            o1 = FloatVector.fromArray(SPECIES, b, next + LANES).fma(x, o1);
            o2 = FloatVector.fromArray(SPECIES, b, next + 2 * LANES).fma(x, o2);
            o3 = FloatVector.fromArray(SPECIES, b, next + 3 * LANES).fma(x, o3);
        }
        storeBlock(e0.add(o0), e1.add(o1), e2.add(o2), e3.add(o3), c, col);
    }

    /**
     * {@code c[i * cStride + (0, cols)] += sum over r < batch of s[r][i] * v[r][(0, cols)]} for
     * {@code i < cRows}: a weight gradient {@code S^T V}; {@code cols} is a multiple of {@link #BLOCK}.
     */
    static void accumulateTransposedProduct(float[][] s, float[][] v, int batch, float[] c, int cStride, int cRows, int cols) {
        int i = 0;
        for (; i + TILE_ROWS <= cRows; i += TILE_ROWS) {
            for (int col = 0; col < cols; col += BLOCK) {
                accumulateTransposedTile(s, i, v, col, batch, c, i * cStride + col, cStride);
            }
        }
        for (; i < cRows; i++) {
            for (int col = 0; col < cols; col += BLOCK) {
                accumulateTransposedRowTile(s, i, v, col, batch, c, i * cStride + col);
            }
        }
    }

    /**
     * Rows {@code i .. i+3} by one block of {@link #accumulateTransposedProduct}, starting at
     * {@code c[offset]}. (Folding the bias gradient's column sums in here, 4 more accumulators, made
     * C2 box the vectors: 100x slower.)
     */
    private static void accumulateTransposedTile(float[][] s, int i, float[][] v, int col, int batch, float[] c, int offset, int cStride) {
        int o0 = offset;
        int o1 = offset + cStride;
        int o2 = offset + 2 * cStride;
        int o3 = offset + 3 * cStride;
        FloatVector s00 = FloatVector.fromArray(SPECIES, c, o0);
        FloatVector s01 = FloatVector.fromArray(SPECIES, c, o0 + LANES);
        FloatVector s02 = FloatVector.fromArray(SPECIES, c, o0 + 2 * LANES);
        FloatVector s03 = FloatVector.fromArray(SPECIES, c, o0 + 3 * LANES);
        FloatVector s10 = FloatVector.fromArray(SPECIES, c, o1);
        FloatVector s11 = FloatVector.fromArray(SPECIES, c, o1 + LANES);
        FloatVector s12 = FloatVector.fromArray(SPECIES, c, o1 + 2 * LANES);
        FloatVector s13 = FloatVector.fromArray(SPECIES, c, o1 + 3 * LANES);
        FloatVector s20 = FloatVector.fromArray(SPECIES, c, o2);
        FloatVector s21 = FloatVector.fromArray(SPECIES, c, o2 + LANES);
        FloatVector s22 = FloatVector.fromArray(SPECIES, c, o2 + 2 * LANES);
        FloatVector s23 = FloatVector.fromArray(SPECIES, c, o2 + 3 * LANES);
        FloatVector s30 = FloatVector.fromArray(SPECIES, c, o3);
        FloatVector s31 = FloatVector.fromArray(SPECIES, c, o3 + LANES);
        FloatVector s32 = FloatVector.fromArray(SPECIES, c, o3 + 2 * LANES);
        FloatVector s33 = FloatVector.fromArray(SPECIES, c, o3 + 3 * LANES);
        for (int r = 0; r < batch; r++) {
            float[] sr = s[r];
            float[] vr = v[r];
            FloatVector w0 = FloatVector.fromArray(SPECIES, vr, col);
            FloatVector w1 = FloatVector.fromArray(SPECIES, vr, col + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, vr, col + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, vr, col + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, sr[i]);
            s00 = w0.fma(x, s00);
            s01 = w1.fma(x, s01);
            s02 = w2.fma(x, s02);
            s03 = w3.fma(x, s03);
            x = FloatVector.broadcast(SPECIES, sr[i + 1]);
            s10 = w0.fma(x, s10);
            s11 = w1.fma(x, s11);
            s12 = w2.fma(x, s12);
            s13 = w3.fma(x, s13);
            x = FloatVector.broadcast(SPECIES, sr[i + 2]);
            s20 = w0.fma(x, s20);
            s21 = w1.fma(x, s21);
            s22 = w2.fma(x, s22);
            s23 = w3.fma(x, s23);
            x = FloatVector.broadcast(SPECIES, sr[i + 3]);
            s30 = w0.fma(x, s30);
            s31 = w1.fma(x, s31);
            s32 = w2.fma(x, s32);
            s33 = w3.fma(x, s33);
        }
        storeBlock(s00, s01, s02, s03, c, o0);
        storeBlock(s10, s11, s12, s13, c, o1);
        storeBlock(s20, s21, s22, s23, c, o2);
        storeBlock(s30, s31, s32, s33, c, o3);
    }

    /** One row of {@link #accumulateTransposedProduct}: the leftover rows, and narrow layers' one or two outputs. */
    private static void accumulateTransposedRowTile(float[][] s, int i, float[][] v, int col, int batch, float[] c, int offset) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, c, offset);
        FloatVector s1 = FloatVector.fromArray(SPECIES, c, offset + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, c, offset + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, c, offset + 3 * LANES);
        for (int r = 0; r < batch; r++) {
            float[] vr = v[r];
            FloatVector x = FloatVector.broadcast(SPECIES, s[r][i]);
            s0 = FloatVector.fromArray(SPECIES, vr, col).fma(x, s0);
            s1 = FloatVector.fromArray(SPECIES, vr, col + LANES).fma(x, s1);
            s2 = FloatVector.fromArray(SPECIES, vr, col + 2 * LANES).fma(x, s2);
            s3 = FloatVector.fromArray(SPECIES, vr, col + 3 * LANES).fma(x, s3);
        }
        storeBlock(s0, s1, s2, s3, c, offset);
    }

    /** {@code sums[(0, cols)] += sum over r in [from, to) of v[r][(0, cols)]}: a bias gradient. */
    static void accumulateColumnSums(float[][] v, int from, int to, float[] sums, int cols) {
        for (int col = 0; col < cols; col += BLOCK) {
            accumulateColumnSumsBlock(v, from, to, sums, col);
        }
    }

    private static void accumulateColumnSumsBlock(float[][] v, int from, int to, float[] sums, int col) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, sums, col);
        FloatVector s1 = FloatVector.fromArray(SPECIES, sums, col + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, sums, col + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, sums, col + 3 * LANES);
        for (int r = from; r < to; r++) {
            float[] vr = v[r];
            s0 = s0.add(FloatVector.fromArray(SPECIES, vr, col));
            s1 = s1.add(FloatVector.fromArray(SPECIES, vr, col + LANES));
            s2 = s2.add(FloatVector.fromArray(SPECIES, vr, col + 2 * LANES));
            s3 = s3.add(FloatVector.fromArray(SPECIES, vr, col + 3 * LANES));
        }
        storeBlock(s0, s1, s2, s3, sums, col);
    }

    /**
     * {@code sum over k < length of x[k] * w[offset + k]}; {@code length} is a multiple of
     * {@link #LANES}. (A four-row version sharing the loads of {@code w} was no faster, and its four
     * lane sums went past C2's inlining budget, which boxes vectors.)
     */
    static float dot(float[] x, float[] w, int offset, int length) {
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int k = 0; k < length; k += LANES) {
            sum = FloatVector.fromArray(SPECIES, x, k).fma(FloatVector.fromArray(SPECIES, w, offset + k), sum);
        }
        return sumLanes(sum);
    }

    /**
     * The sum of the lanes by folding: JDK 17's {@code reduceLanes(ADD)} adds the lanes one after
     * another in order, twice as slow for the narrow layers that reduce once per output.
     */
    static float sumLanes(FloatVector v) {
        if (LANES > 16) {
            return v.reduceLanes(VectorOperators.ADD);
        }
        if (LANES == 16) {
            v = v.add(v.rearrange(FOLD_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(FOLD_4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(FOLD_2));
        }
        return v.add(v.rearrange(FOLD_1)).lane(0);
    }

    private static VectorShuffle<Float> fold(int distance) {
        return VectorShuffle.fromOp(SPECIES, i -> (i ^ distance) & (LANES - 1));
    }

    /** {@code sum of a[i]^2}; the length of {@code a} is a multiple of {@link #LANES}. */
    static float sumOfSquares(float[] a) {
        FloatVector s = FloatVector.zero(SPECIES);
        for (int i = 0; i < a.length; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, i);
            s = x.fma(x, s);
        }
        return s.reduceLanes(VectorOperators.ADD);
    }

    /** {@code dst[j * dstStride + i] = src[i * srcStride + j]} for {@code i < rows, j < cols}. */
    static void transpose(float[] src, int srcStride, int rows, int cols, float[] dst, int dstStride) {
        for (int j = 0; j < cols; j++) {
            int d = j * dstStride;
            for (int i = 0, s = j; i < rows; i++, s += srcStride) {
                dst[d + i] = src[s];
            }
        }
    }

    static void storeBlock(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] c, int offset) {
        v0.intoArray(c, offset);
        v1.intoArray(c, offset + LANES);
        v2.intoArray(c, offset + 2 * LANES);
        v3.intoArray(c, offset + 3 * LANES);
    }
}
