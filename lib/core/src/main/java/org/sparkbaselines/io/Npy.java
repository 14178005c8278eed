package org.sparkbaselines.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes numpy's {@code .npy} format: a magic string, a version, a header dict (dtype,
 * order, shape) and the raw C-order data.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, little- and big-endian data, and the dtypes of
 * {@link DType}; Fortran-order arrays, structured and object dtypes are refused. Files are untrusted:
 * the header is parsed strictly (never evaluated) and its claims are checked against the bytes
 * actually present before anything is allocated. Every problem is a {@link MalformedFileException}
 * naming the file and the problem. Writing produces version 1.0 little-endian files laid out as numpy
 * writes them.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic plus the two version bytes. */
    private static final int PREFIX_BYTES = MAGIC.length + 2;
    /** numpy's own default limit ({@code max_header_size}); real headers are under 200 bytes. */
    private static final int MAX_HEADER_BYTES = 10_000;
    /** numpy 2's limit on dimensions. */
    private static final int MAX_DIMENSIONS = 64;
    /** numpy aligns the data to 64 bytes. */
    private static final int ALIGNMENT = 64;
    /** numpy leaves room for the first dimension to grow to this many digits when it writes a header. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int MAX_HEADER_QUOTE = 200;
    /** The largest item size of {@link DType}. */
    private static final long MAX_ITEM_BYTES = Arrays.stream(DType.values()).mapToInt(DType::itemSize).max().orElseThrow();

    private Npy() {
    }

    /** Reads a {@code .npy} file of at most {@link ReadLimits#DEFAULT}'s {@code maxEntryBytes}. */
    public static NdArray read(Path file) throws IOException {
        long limit = ReadLimits.DEFAULT.maxEntryBytes();
        if (Files.size(file) > limit) {
            throw BoundedStreams.tooLarge(file.toString(), limit);
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads a {@code .npy} array from the rest of {@code in} (at most {@link ReadLimits#DEFAULT}'s
     * {@code maxEntryBytes}); {@code name} identifies it in error messages.
     */
    public static NdArray read(InputStream in, String name) throws IOException {
        return decode(BoundedStreams.readAll(in, ReadLimits.DEFAULT.maxEntryBytes(), name), name);
    }

    /** Writes {@code array} to {@code file} atomically (no half-written file on failure). */
    public static void write(Path file, NdArray array) throws IOException {
        byte[] bytes = encode(array);
        AtomicFile.write(file, out -> out.write(bytes));
    }

    /** Writes {@code array} in {@code .npy} format to {@code out}, which stays open. */
    public static void write(OutputStream out, NdArray array) throws IOException {
        out.write(encode(array));
    }

    /** The {@code .npy} bytes of {@code array}, as numpy 1.24+ writes them (version 1.0, little-endian, C order). */
    static byte[] encode(NdArray array) {
        int[] shape = array.shape();
        String dict = NpyHeader.format(array.dtype(), shape);
        // Spare spaces let numpy grow the first dimension in place; matching them gives numpy's exact bytes.
        int spare = shape.length == 0 ? 0 : GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length();
        int lengthField = 2; // version 1.0: headers of our dtypes and at most 64 dimensions stay far below 64 KiB
        int unpadded = PREFIX_BYTES + lengthField + dict.length() + spare + 1;
        int padding = ALIGNMENT - unpadded % ALIGNMENT;
        String header = dict + " ".repeat(spare + padding) + "\n";
        long size = (long) unpadded + padding + (long) array.size() * array.dtype().itemSize();
        if (size > ReadLimits.MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException(array + " needs " + size + " bytes, more than one .npy entry can hold");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buffer.put(header.getBytes(StandardCharsets.ISO_8859_1));
        Object data = array.rawData();
        switch (array.dtype()) {
            case FLOAT32 -> buffer.asFloatBuffer().put((float[]) data);
            case FLOAT64 -> buffer.asDoubleBuffer().put((double[]) data);
            case INT32 -> buffer.asIntBuffer().put((int[]) data);
            case INT64 -> buffer.asLongBuffer().put((long[]) data);
            case BOOL -> {
                for (boolean value : (boolean[]) data) {
                    buffer.put((byte) (value ? 1 : 0));
                }
            }
            case UINT8 -> buffer.put((byte[]) data);
        }
        return buffer.array();
    }

    /**
     * Decodes the complete {@code .npy} bytes of one array.
     *
     * @param source names the array in error messages, e.g. {@code "obs.npy in /data/expert.npz"}
     */
    static NdArray decode(byte[] bytes, String source) throws MalformedFileException {
        try {
            return decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(source + ": " + e.getMessage(), e);
        }
    }

    private static NdArray decode(byte[] bytes) {
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not a .npy array: it does not start with the .npy magic bytes \\x93NUMPY");
        }
        if (bytes.length < PREFIX_BYTES) {
            throw new IllegalArgumentException("truncated in the .npy header (" + bytes.length + " bytes)");
        }
        int major = bytes[MAGIC.length];
        int minor = bytes[MAGIC.length + 1];
        if (major < 1 || major > 3 || minor != 0) {
            throw new IllegalArgumentException("unsupported .npy format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are supported)");
        }
        int lengthField = major == 1 ? 2 : 4;
        int headerStart = PREFIX_BYTES + lengthField;
        if (bytes.length < headerStart) {
            throw new IllegalArgumentException("truncated in the .npy header (" + bytes.length + " bytes)");
        }
        ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedInt(little.getShort(PREFIX_BYTES)) : Integer.toUnsignedLong(little.getInt(PREFIX_BYTES));
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header claims " + headerLength + " bytes, over the limit of " + MAX_HEADER_BYTES);
        }
        if (headerStart + headerLength > bytes.length) {
            throw new IllegalArgumentException("truncated: the header claims " + headerLength + " bytes but only "
                    + (bytes.length - headerStart) + " follow");
        }
        // Version 3.0 exists only to allow UTF-8 in the header.
        String text = new String(bytes, headerStart, (int) headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header;
        try {
            header = NpyHeader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid .npy header (" + e.getMessage() + "): " + quote(text), e);
        }
        if (header.fortranOrder()) {
            throw new IllegalArgumentException("fortran_order is True (column-major data), which is not supported; save the array in C order");
        }
        DType dtype = dtypeOf(header.descr());
        ByteOrder order = header.descr().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int[] shape = checkedShape(header.shape());
        // checkedShape bounded the product; an int overflow on the way can only happen before a 0 dimension.
        int elements = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int dataStart = (int) (headerStart + headerLength);
        long needed = (long) elements * dtype.itemSize();
        long available = bytes.length - dataStart;
        if (available != needed) {
            throw new IllegalArgumentException("the data holds " + available + " bytes but shape " + NdArray.formatShape(shape) + " of "
                    + dtype + " needs " + needed + (available < needed ? " (truncated)" : " (trailing bytes)"));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) needed).slice().order(order);
        return NdArray.wrap(dtype, decodeData(data, dtype, elements), shape);
    }

    /**
     * The most bytes a {@code .npy} array of this shape may take, in any supported dtype and with the
     * largest header accepted; {@link Long#MAX_VALUE} when that does not fit a long.
     */
    static long maxBytes(int[] shape) {
        try {
            long elements = 1;
            for (int dim : shape) {
                elements = Math.multiplyExact(elements, dim);
            }
            return Math.addExact(Math.multiplyExact(elements, MAX_ITEM_BYTES), PREFIX_BYTES + 4L + MAX_HEADER_BYTES);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The dtype of a descr such as {@code '<f4'}, {@code '>i8'} or {@code '|b1'}. */
    private static DType dtypeOf(String descr) {
        DType dtype = descr.matches("[<>|][a-z][0-9]{1,2}") ? DType.of(descr.charAt(1), Integer.parseInt(descr.substring(2))) : null;
        // '|' (byte order not applicable) only makes sense for one-byte types.
        if (dtype == null || (descr.charAt(0) == '|' && dtype.itemSize() != 1)) {
            throw new IllegalArgumentException("unsupported dtype descr '" + descr + "' (supported: f4, f8, i4, i8, b1, u1, little- or big-endian)");
        }
        return dtype;
    }

    private static int[] checkedShape(long[] shape) {
        if (shape.length > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("shape has " + shape.length + " dimensions, over the limit of " + MAX_DIMENSIONS);
        }
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0 || dim > NdArray.MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + NdArray.formatShape(shape) + " has a dimension "
                        + (dim < 0 ? "below 0" : "over the limit of " + NdArray.MAX_ELEMENTS));
            }
            // Capping just past the limit keeps the product in range; a later 0 still makes it 0.
            elements = Math.min(elements * dim, NdArray.MAX_ELEMENTS + 1L);
        }
        if (elements > NdArray.MAX_ELEMENTS) {
            throw new IllegalArgumentException("shape " + NdArray.formatShape(shape) + " has more elements than the limit of "
                    + NdArray.MAX_ELEMENTS + " per array");
        }
        return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    }

    private static Object decodeData(ByteBuffer data, DType dtype, int elements) {
        return switch (dtype) {
            case FLOAT32 -> {
                float[] values = new float[elements];
                data.asFloatBuffer().get(values);
                yield values;
            }
            case FLOAT64 -> {
                double[] values = new double[elements];
                data.asDoubleBuffer().get(values);
                yield values;
            }
            case INT32 -> {
                int[] values = new int[elements];
                data.asIntBuffer().get(values);
                yield values;
            }
            case INT64 -> {
                long[] values = new long[elements];
                data.asLongBuffer().get(values);
                yield values;
            }
            case BOOL -> {
                boolean[] values = new boolean[elements];
                for (int i = 0; i < elements; i++) {
                    values[i] = data.get(i) != 0; // numpy reads any non-zero byte as True
                }
                yield values;
            }
            case UINT8 -> {
                byte[] values = new byte[elements];
                data.get(values);
                yield values;
            }
        };
    }

    /** The header text for an error message, shortened and with control characters escaped. */
    private static String quote(String text) {
        String stripped = text.strip();
        String shown = stripped.length() > MAX_HEADER_QUOTE ? stripped.substring(0, MAX_HEADER_QUOTE) + "..." : stripped;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\x%02x", c) : Character.toString(c)));
        return out.append('"').toString();
    }
}
