package org.sparkbaselines.io.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.NdArray;

/**
 * numpy values rebuilt from the data a pickle gives them, never by calling numpy: arrays from the state
 * tuple of {@code ndarray.__setstate__} (or {@code _frombuffer}'s arguments) and scalars from
 * {@code multiarray.scalar(dtype, bytes)}. A dtype is the {@link PyObject} placeholder of a
 * {@code numpy.dtype(descr, align, copy)} call, whose BUILD state gives the byte order.
 *
 * <p>Every claim (shape, item size, data length) is checked with overflow-safe arithmetic before
 * anything is allocated. Problems are {@link IllegalArgumentException}s whose message names them; the
 * interpreter adds the file and offset.
 */
final class NumpyValues {
    /** numpy 2's limit on dimensions. */
    private static final int MAX_DIMENSIONS = 64;
    /** The largest Java array, which bounds one dimension of an {@link NdArray} (an int). */
    private static final long MAX_DIMENSION = Integer.MAX_VALUE - 8;
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d+)");

    private NumpyValues() {
    }

    /**
     * One element type as stored in the pickle: numpy kind and size, the Java {@link DType} holding it
     * (narrow integers are widened, exactly) and the byte order.
     */
    private record ElementType(String descr, char kind, int itemSize, DType dtype, ByteOrder order) {
    }

    /** {@code ndarray.__setstate__}'s state: {@code (version, shape, dtype, is_fortran, rawdata)}, or the older form without the version. */
    static NdArray fromState(Object state) {
        if (!(state instanceof PyTuple tuple) || (tuple.size() != 4 && tuple.size() != 5)) {
            throw new IllegalArgumentException("numpy array state must be a tuple (version, shape, dtype, is_fortran, data), not "
                    + Unpickler.typeName(state));
        }
        List<Object> items = tuple.items();
        if (items.size() == 5) {
            if (!(items.get(0) instanceof Long version) || version != 1) {
                throw new IllegalArgumentException("unsupported numpy array state version " + PyRepr.of(items.get(0)) + " (1 is supported)");
            }
            items = items.subList(1, 5);
        }
        Object isFortran = items.get(2);
        boolean fortran;
        if (isFortran instanceof Boolean b) {
            fortran = b;
        } else if (isFortran instanceof Long l && (l == 0 || l == 1)) {
            fortran = l == 1;
        } else {
            throw new IllegalArgumentException("numpy array state's is_fortran must be a bool, not " + PyRepr.of(isFortran));
        }
        return array(items.get(3), items.get(1), items.get(0), fortran);
    }

    /** {@code numpy.core.numeric._frombuffer(buffer, dtype, shape, order)}, which protocol 5 pickles of arrays call. */
    static NdArray fromBuffer(List<Object> args) {
        if (args.size() != 4 || !(args.get(3) instanceof String order) || !(order.equals("C") || order.equals("F"))) {
            throw new IllegalArgumentException("_frombuffer needs (buffer, dtype, shape, 'C' or 'F'), not " + PyRepr.of(new PyTuple(args)));
        }
        return array(args.get(0), args.get(1), args.get(2), order.equals("F"));
    }

    /** {@code numpy.core.multiarray.scalar(dtype, data)}: a {@code Double}, {@code Long} or {@code Boolean}. */
    static Object scalar(List<Object> args) {
        if (args.size() != 2) {
            throw new IllegalArgumentException("numpy scalar needs (dtype, data), got " + args.size() + " arguments");
        }
        ElementType type = elementType(args.get(0));
        byte[] data = bytesOf(args.get(1), "numpy scalar data");
        if (data.length != type.itemSize()) {
            throw new IllegalArgumentException("numpy scalar of dtype " + type.descr() + " needs " + type.itemSize() + " bytes but has " + data.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data).order(type.order());
        return switch (type.kind()) {
            case 'f' -> type.itemSize() == 4 ? (double) buffer.getFloat() : buffer.getDouble();
            case 'b' -> data[0] != 0;
            default -> integerAt(buffer, 0, type);
        };
    }

    private static NdArray array(Object rawData, Object dtypeObject, Object shapeObject, boolean fortran) {
        ElementType type = elementType(dtypeObject);
        long[] dims = shape(shapeObject);
        byte[] data = bytesOf(rawData, "numpy array data");
        long needed;
        try {
            long elements = 1;
            for (long dim : dims) {
                elements = Math.multiplyExact(elements, dim);
            }
            needed = Math.multiplyExact(elements, type.itemSize());
        } catch (ArithmeticException e) {
            needed = -1; // more than a long: certainly not the data's length
        }
        if (needed != data.length) {
            throw new IllegalArgumentException("numpy array of shape " + PyRepr.of(shapeObject) + " and dtype " + type.descr() + " needs "
                    + (needed < 0 ? "more than 2^63" : Long.toString(needed)) + " bytes but its data has " + data.length);
        }
        // The data fits a Java array, so only a dimension beside a 0 can still exceed an int.
        for (long dim : dims) {
            if (dim > MAX_DIMENSION) {
                throw new IllegalArgumentException("numpy array shape " + PyRepr.of(shapeObject) + " has a dimension over the limit of " + MAX_DIMENSION);
            }
        }
        int[] shape = Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
        int count = data.length / type.itemSize();
        byte[] cOrder = fortran && shape.length > 1 ? fortranToC(data, shape, type.itemSize()) : data;
        return decode(ByteBuffer.wrap(cOrder).order(type.order()), type, count, shape);
    }

    /**
     * The element type of a {@code numpy.dtype(descr, align, copy)} placeholder: the descr gives kind and
     * size ({@code 'f4'}), the BUILD state {@code (3, '<', None, None, None, -1, -1, 0)} the byte order.
     */
    private static ElementType elementType(Object dtypeObject) {
        if (!(dtypeObject instanceof PyObject dtype) || !Unpickler.canonicalName(dtype.type()).equals("numpy.dtype")
                || dtype.args().isEmpty() || !(dtype.args().get(0) instanceof String descr)) {
            throw new IllegalArgumentException("expected a numpy dtype, not " + PyRepr.of(dtypeObject));
        }
        Matcher m = DESCR.matcher(descr);
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        char kind = m.group(2).charAt(0);
        if (kind == 'O') {
            throw new IllegalArgumentException("object arrays (dtype 'O') are refused: their elements would be arbitrary pickled objects");
        }
        int itemSize = m.group(3).length() > 2 ? -1 : Integer.parseInt(m.group(3));
        DType javaType = javaType(kind, itemSize);
        if (javaType == null) {
            throw new IllegalArgumentException("unsupported dtype '" + descr
                    + "' (supported: f4, f8, i1, i2, i4, i8, u1, u2, u4, b1; narrower integers are widened to int32 or int64)");
        }
        String orderChar = byteOrder(dtype.state(), m.group(1), descr);
        if (orderChar.equals("|") && itemSize != 1) {
            throw new IllegalArgumentException("dtype '" + descr + "' of " + itemSize + " bytes has no byte order ('|')");
        }
        ByteOrder order = orderChar.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN; // '=' is native: little on every platform we run on
        return new ElementType(orderChar.equals("|") || orderChar.isEmpty() ? descr : orderChar + kind + itemSize, kind, itemSize, javaType, order);
    }

    private static DType javaType(char kind, int itemSize) {
        return switch (kind + Integer.toString(itemSize)) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "i1", "i2", "u2", "i4" -> DType.INT32;
            case "u4", "i8" -> DType.INT64;
            case "b1" -> DType.BOOL;
            case "u1" -> DType.UINT8;
            default -> null;
        };
    }

    /** The byte order character from the dtype's BUILD state, else from the descr, else native ('='). */
    private static String byteOrder(Object state, String descrOrder, String descr) {
        if (state == null) {
            return descrOrder.isEmpty() ? "=" : descrOrder;
        }
        // numpy's dtype state: (version >= 3, endian, subarray, names, fields, elsize, alignment, flags[, metadata]).
        if (state instanceof PyTuple tuple && tuple.size() >= 5 && tuple.get(0) instanceof Long && tuple.get(1) instanceof String order
                && order.length() == 1 && "<>|=".contains(order)) {
            if (tuple.get(2) != null || tuple.get(3) != null || tuple.get(4) != null) {
                throw new IllegalArgumentException("structured or sub-array dtype '" + descr + "' is not supported");
            }
            return order;
        }
        throw new IllegalArgumentException("unrecognised state of dtype '" + descr + "': " + PyRepr.of(state));
    }

    /** The dimensions of a shape tuple, each a non-negative int. */
    private static long[] shape(Object shapeObject) {
        List<?> dims = shapeObject instanceof PyTuple tuple ? tuple.items() : shapeObject instanceof List<?> list ? list : null;
        if (dims == null) {
            throw new IllegalArgumentException("numpy array shape must be a tuple, not " + Unpickler.typeName(shapeObject));
        }
        if (dims.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("numpy array shape has " + dims.size() + " dimensions, over the limit of " + MAX_DIMENSIONS);
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new IllegalArgumentException("numpy array shape " + PyRepr.of(shapeObject) + " must hold non-negative ints");
            }
            shape[i] = dim;
        }
        return shape;
    }

    /** The bytes of array or scalar data: bytes, or a str of code points 0-255 (Python 2 data read as latin-1). */
    private static byte[] bytesOf(Object data, String what) {
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof String text) {
            return Unpickler.latin1(text, what);
        }
        if (data instanceof List<?>) {
            throw new IllegalArgumentException(what + " is a list, as for an object array, which is refused");
        }
        throw new IllegalArgumentException(what + " must be bytes, not " + Unpickler.typeName(data));
    }

    /** Reorders column-major (Fortran) data into row-major (C) order. */
    private static byte[] fortranToC(byte[] data, int[] shape, int itemSize) {
        byte[] out = new byte[data.length];
        int n = shape.length;
        long[] fortranStride = new long[n];
        long stride = 1;
        for (int k = 0; k < n; k++) {
            fortranStride[k] = stride;
            stride *= shape[k];
        }
        int[] index = new int[n];
        long source = 0;
        int count = data.length / itemSize;
        for (int c = 0; c < count; c++) {
            System.arraycopy(data, (int) (source * itemSize), out, c * itemSize, itemSize);
            // Advance the C-order index (last axis fastest), keeping the Fortran offset in step.
            for (int k = n - 1; k >= 0; k--) {
                if (++index[k] < shape[k]) {
                    source += fortranStride[k];
                    break;
                }
                source -= fortranStride[k] * (shape[k] - 1);
                index[k] = 0;
            }
        }
        return out;
    }

    private static NdArray decode(ByteBuffer data, ElementType type, int count, int[] shape) {
        return switch (type.dtype()) {
            case FLOAT32 -> {
                float[] values = new float[count];
                data.asFloatBuffer().get(values);
                yield NdArray.ofFloats(values, shape);
            }
            case FLOAT64 -> {
                double[] values = new double[count];
                data.asDoubleBuffer().get(values);
                yield NdArray.ofDoubles(values, shape);
            }
            case INT32 -> {
                int[] values = new int[count];
                for (int i = 0; i < count; i++) {
                    values[i] = (int) integerAt(data, i, type);
                }
                yield NdArray.ofInts(values, shape);
            }
            case INT64 -> {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    values[i] = integerAt(data, i, type);
                }
                yield NdArray.ofLongs(values, shape);
            }
            case BOOL -> {
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = data.get(i) != 0; // numpy reads any non-zero byte as True
                }
                yield NdArray.ofBooleans(values, shape);
            }
            case UINT8 -> {
                byte[] values = new byte[count];
                data.get(values);
                yield NdArray.ofUnsignedBytes(values, shape);
            }
        };
    }

    /** Integer element {@code i}, signed or unsigned as its kind says. */
    private static long integerAt(ByteBuffer data, int i, ElementType type) {
        int at = i * type.itemSize();
        boolean unsigned = type.kind() == 'u';
        return switch (type.itemSize()) {
            case 1 -> unsigned ? Byte.toUnsignedLong(data.get(at)) : data.get(at);
            case 2 -> unsigned ? Short.toUnsignedLong(data.getShort(at)) : data.getShort(at);
            case 4 -> unsigned ? Integer.toUnsignedLong(data.getInt(at)) : data.getInt(at);
            default -> data.getLong(at);
        };
    }

}
