package org.sparkbaselines.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NdArrayTest {

    @Test
    void factoriesCheckTheShapeAndCopyTheData() {
        float[] values = {1, 2, 3, 4, 5, 6};
        NdArray matrix = NdArray.ofFloats(values, 2, 3);
        values[0] = 99;
        assertEquals(1f, matrix.toFloatArray()[0], "the factory copies");
        matrix.toFloatArray()[1] = 99;
        assertEquals(2f, matrix.toFloatArray()[1], "accessors copy");
        int[] shape = matrix.shape();
        shape[0] = 7;
        assertArrayEquals(new int[] {2, 3}, matrix.shape());
        assertEquals(2, matrix.ndim());
        assertEquals(6, matrix.size());
        assertEquals("NdArray(float32, shape (2, 3))", matrix.toString());

        NdArray scalar = NdArray.ofDoubles(new double[] {2.5});
        assertEquals(0, scalar.ndim());
        assertEquals(1, scalar.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NdArray.ofFloats(values, 4));
        assertTrue(e.getMessage().contains("shape (4,) holds 4 elements but the data has 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NdArray.ofInts(new int[0], -1, 0));
        assertEquals(0, NdArray.ofLongs(new long[0], 0, 4).size());
    }

    @Test
    void conversionsAreExactOrDocumented() {
        NdArray bytes = NdArray.ofUnsignedBytes(new byte[] {0, 1, (byte) 255}, 3);
        assertArrayEquals(new int[] {0, 1, 255}, bytes.toIntArray());
        assertArrayEquals(new long[] {0, 1, 255}, bytes.toLongArray());
        assertArrayEquals(new float[] {0, 1, 255}, bytes.toFloatArray());

        NdArray flags = NdArray.ofBooleans(new boolean[] {true, false}, 2);
        assertArrayEquals(new boolean[] {true, false}, flags.toBooleanArray());
        assertArrayEquals(new double[] {1, 0}, flags.toDoubleArray());

        NdArray doubles = NdArray.ofDoubles(new double[] {0.1, -3}, 2);
        assertArrayEquals(new float[] {0.1f, -3f}, doubles.toFloatArray());
        IllegalStateException truncating = assertThrows(IllegalStateException.class, doubles::toLongArray);
        assertTrue(truncating.getMessage().contains("truncate"), truncating.getMessage());
        assertThrows(IllegalStateException.class, doubles::toBooleanArray);

        NdArray longs = NdArray.ofLongs(new long[] {1L << 40, 3}, 2);
        assertArrayEquals(new double[] {1L << 40, 3}, longs.toDoubleArray());
        IllegalStateException overflow = assertThrows(IllegalStateException.class, longs::toIntArray);
        assertTrue(overflow.getMessage().contains("element 0"), overflow.getMessage());
        assertArrayEquals(new int[] {7, -2}, NdArray.ofInts(new int[] {7, -2}, 2).toIntArray());
    }

    @Test
    void rowsSliceTheFirstAxis() {
        NdArray cube = NdArray.ofInts(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2);
        assertEquals(NdArray.ofInts(new int[] {4, 5, 6, 7}, 2, 2), cube.row(1));
        NdArray matrix = NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertArrayEquals(new float[] {5, 6}, matrix.row(2).toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> matrix.row(3));
        assertThrows(IllegalStateException.class, () -> NdArray.ofFloats(new float[] {1}).row(0));
    }

    @Test
    void equalityIsByDtypeShapeAndValue() {
        NdArray a = NdArray.ofFloats(new float[] {1, Float.NaN}, 2);
        assertEquals(a, NdArray.ofFloats(new float[] {1, Float.NaN}, 2));
        assertEquals(a.hashCode(), NdArray.ofFloats(new float[] {1, Float.NaN}, 2).hashCode());
        assertNotEquals(a, NdArray.ofFloats(new float[] {1, Float.NaN}, 1, 2));
        assertNotEquals(a, NdArray.ofDoubles(new double[] {1, Double.NaN}, 2));
        assertNotEquals(a, NdArray.ofFloats(new float[] {1, 2}, 2));
    }
}
