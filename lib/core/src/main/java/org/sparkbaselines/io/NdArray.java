package org.sparkbaselines.io;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable n-dimensional array in C (row-major) order, the Java counterpart of a numpy array
 * in {@code .npy}/{@code .npz} files. The data lives in the natural Java array of its {@link DType}
 * ({@code float[]} for {@code FLOAT32}, ...); factories and accessors copy, so no caller can change it.
 *
 * <p>The shape follows numpy: {@code ofFloats(data, 2, 3)} is a 2x3 matrix, {@code ofFloats(data, 6)}
 * a vector, and {@code ofFloats(data)} with no dimensions a 0-d scalar (so {@code data} must then hold
 * one value). Equality is by dtype, shape and values (floats compared bit-wise, as
 * {@link Arrays#equals(float[], float[])} does, so NaN equals NaN).
 */
public final class NdArray {
    /** Largest number of elements per array: the largest Java array. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final int[] shape;
    /** A {@code dtype.arrayClass()} instance with exactly the shape's number of elements; never exposed. */
    private final Object data;

    private NdArray(DType dtype, Object data, int[] shape) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        if (data.getClass() != dtype.arrayClass()) {
            throw new IllegalArgumentException(dtype + " data must be a " + dtype.arrayClass().getSimpleName()
                    + ", not a " + data.getClass().getSimpleName());
        }
        long elements = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + formatShape(shape) + " has a negative dimension");
            }
            // Capping just past MAX_ELEMENTS keeps the product in range; the length check below then fails.
            elements = Math.min(elements * dim, (long) MAX_ELEMENTS + 1);
        }
        if (elements != Array.getLength(data)) {
            throw new IllegalArgumentException("shape " + formatShape(shape) + " holds " + elements
                    + " elements but the data has " + Array.getLength(data));
        }
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} without copying; for readers that built the array themselves and drop it. */
    static NdArray wrap(DType dtype, Object data, int[] shape) {
        return new NdArray(dtype, data, shape);
    }

    private static NdArray copyOf(DType dtype, Object data, int[] shape) {
        return new NdArray(dtype, copyArray(Objects.requireNonNull(data, "data")), shape.clone());
    }

    /** A {@link DType#FLOAT32} array of {@code data} (copied) with the given shape (none = 0-d). */
    public static NdArray ofFloats(float[] data, int... shape) {
        return copyOf(DType.FLOAT32, data, shape);
    }

    /** A {@link DType#FLOAT64} array of {@code data} (copied) with the given shape (none = 0-d). */
    public static NdArray ofDoubles(double[] data, int... shape) {
        return copyOf(DType.FLOAT64, data, shape);
    }

    /** An {@link DType#INT32} array of {@code data} (copied) with the given shape (none = 0-d). */
    public static NdArray ofInts(int[] data, int... shape) {
        return copyOf(DType.INT32, data, shape);
    }

    /** An {@link DType#INT64} array of {@code data} (copied) with the given shape (none = 0-d). */
    public static NdArray ofLongs(long[] data, int... shape) {
        return copyOf(DType.INT64, data, shape);
    }

    /** A {@link DType#BOOL} array of {@code data} (copied) with the given shape (none = 0-d). */
    public static NdArray ofBooleans(boolean[] data, int... shape) {
        return copyOf(DType.BOOL, data, shape);
    }

    /** A {@link DType#UINT8} array of {@code data} (copied; byte {@code -1} is 255) with the given shape (none = 0-d). */
    public static NdArray ofUnsignedBytes(byte[] data, int... shape) {
        return copyOf(DType.UINT8, data, shape);
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for a 0-d array. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int ndim() {
        return shape.length;
    }

    /** The number of elements (1 for a 0-d array). */
    public int size() {
        return Array.getLength(data);
    }

    /**
     * The sub-array at {@code index} along the first axis: for a 2-D array, row {@code index} as a
     * 1-D array; for a 3-D array, a 2-D slice.
     *
     * @throws IllegalStateException for a 0-d array
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code [0, shape[0])}
     */
    public NdArray row(int index) {
        if (shape.length == 0) {
            throw new IllegalStateException("a 0-d array has no rows");
        }
        Objects.checkIndex(index, shape[0]);
        int rowSize = size() / shape[0];
        Object rowData = Array.newInstance(dtype.arrayClass().getComponentType(), rowSize);
        System.arraycopy(data, index * rowSize, rowData, 0, rowSize);
        return new NdArray(dtype, rowData, Arrays.copyOfRange(shape, 1, shape.length));
    }

    /**
     * The values as floats, in C order: exact for {@code FLOAT32}, {@code UINT8}, {@code BOOL} (1 or 0)
     * and integers up to 2^24 in magnitude; {@code FLOAT64} and larger integers are rounded to the
     * nearest float, as numpy's {@code astype(np.float32)} does.
     */
    public float[] toFloatArray() {
        if (dtype == DType.FLOAT32) {
            return ((float[]) data).clone();
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) doubleAt(i);
        }
        return out;
    }

    /**
     * The values as doubles, in C order: exact for every dtype except {@code INT64} values beyond
     * 2^53 in magnitude, which are rounded; {@code BOOL} gives 1 or 0.
     */
    public double[] toDoubleArray() {
        if (dtype == DType.FLOAT64) {
            return ((double[]) data).clone();
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubleAt(i);
        }
        return out;
    }

    /**
     * The values as longs, in C order, for the integer dtypes and {@code BOOL} (1 or 0); always exact.
     *
     * @throws IllegalStateException for {@code FLOAT32}/{@code FLOAT64}, which would truncate
     */
    public long[] toLongArray() {
        requireIntegral("toLongArray");
        if (dtype == DType.INT64) {
            return ((long[]) data).clone();
        }
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longAt(i);
        }
        return out;
    }

    /**
     * The values as ints, in C order, for the integer dtypes and {@code BOOL} (1 or 0); {@code UINT8}
     * gives 0..255.
     *
     * @throws IllegalStateException for {@code FLOAT32}/{@code FLOAT64}, or an {@code INT64} value outside the int range
     */
    public int[] toIntArray() {
        requireIntegral("toIntArray");
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            long value = longAt(i);
            if (value != (int) value) {
                throw new IllegalStateException("int64 element " + i + " = " + value + " does not fit in an int");
            }
            out[i] = (int) value;
        }
        return out;
    }

    /**
     * The values of a {@code BOOL} array, in C order.
     *
     * @throws IllegalStateException for any other dtype
     */
    public boolean[] toBooleanArray() {
        if (dtype != DType.BOOL) {
            throw new IllegalStateException("toBooleanArray() needs a bool array, not " + dtype);
        }
        return ((boolean[]) data).clone();
    }

    private void requireIntegral(String method) {
        if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
            throw new IllegalStateException(method + "() would truncate the " + dtype + " values; use toDoubleArray()");
        }
    }

    private double doubleAt(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            default -> longAt(i);
        };
    }

    private long longAt(int i) {
        return switch (dtype) {
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
            case UINT8 -> Byte.toUnsignedInt(((byte[]) data)[i]);
            case FLOAT32, FLOAT64 -> throw new IllegalStateException("not an integral dtype: " + dtype);
        };
    }

    /** The data array itself, for {@link Npy} to encode without a copy; callers must not modify it. */
    Object rawData() {
        return data;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NdArray that && dtype == that.dtype && Arrays.equals(shape, that.shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {that.data});
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.deepHashCode(new Object[] {data});
    }

    /** For example {@code NdArray(float32, shape (2500, 4))}. */
    @Override
    public String toString() {
        return "NdArray(" + dtype + ", shape " + formatShape(shape) + ")";
    }

    /** A shape as Python writes the tuple: {@code ()}, {@code (5,)}, {@code (2500, 4)}. */
    public static String formatShape(int[] shape) {
        return formatShape(Arrays.stream(shape).asLongStream().toArray());
    }

    /** A shape as Python writes the tuple: {@code ()}, {@code (5,)}, {@code (2500, 4)}. */
    static String formatShape(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    private static Object copyArray(Object array) {
        int length = Array.getLength(array);
        Object copy = Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, 0, copy, 0, length);
        return copy;
    }
}
