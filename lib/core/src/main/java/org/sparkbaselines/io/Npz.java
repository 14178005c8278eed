package org.sparkbaselines.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes numpy's {@code .npz} format: a zip with one {@code <name>.npy} entry per array, as
 * {@code numpy.savez} writes it and {@code numpy.load} reads it (files we write load in numpy, and
 * numpy's files load here).
 *
 * <p>Reading accepts stored and deflated entries and treats the file as untrusted: see
 * {@link ReadLimits} and {@link Npy}; every problem is a {@link MalformedFileException} naming the
 * file, the entry and the problem. Array names may contain '/' (as TensorFlow variable names do) but
 * not {@code ..} segments, absolute paths or backslashes.
 */
public final class Npz {
    private static final String NPY_SUFFIX = ".npy";
    private static final String KIND = ".npz file";
    /** Room for an entry's local header, data descriptor and central-directory record, with zip64 extras. */
    private static final long ZIP_ENTRY_BYTES = 256;
    /** Room for the end-of-central-directory records, with zip64 ones. */
    private static final long ZIP_END_BYTES = 1024;
    /** Deflate's worst case adds 5 bytes per 16 KiB stored block (and a few in all). */
    private static final long DEFLATE_GROWTH_DIVISOR = 1024;

    private Npz() {
    }

    /** The arrays of an {@code .npz} file by name, in file order, within {@link ReadLimits#DEFAULT}. */
    public static Map<String, NdArray> read(Path file) throws IOException {
        return read(file, ReadLimits.DEFAULT);
    }

    /** The arrays of an {@code .npz} file by name, in file order, within {@code limits}. */
    public static Map<String, NdArray> read(Path file, ReadLimits limits) throws IOException {
        try (ZipReader zip = ZipReader.open(file, KIND, limits)) {
            return decode(zip);
        }
    }

    /** The arrays of the {@code .npz} data in {@code in} by name, in file order, within {@link ReadLimits#DEFAULT}. */
    public static Map<String, NdArray> read(InputStream in) throws IOException {
        return read(in, ReadLimits.DEFAULT);
    }

    /** The arrays of the {@code .npz} data in {@code in} by name, in file order, within {@code limits}. */
    public static Map<String, NdArray> read(InputStream in, ReadLimits limits) throws IOException {
        try (ZipReader zip = ZipReader.open(in, "the .npz stream", KIND, limits)) {
            return decode(zip);
        }
    }

    /**
     * Writes {@code arrays} (in map order) uncompressed, as {@code numpy.savez} does, atomically: on
     * failure no half-written file is left and an existing file is unchanged.
     *
     * @throws IllegalArgumentException for a name that reading would refuse (empty, {@code ..}, absolute, backslash)
     */
    public static void write(Path file, Map<String, NdArray> arrays) throws IOException {
        AtomicFile.write(file, out -> write(out, arrays, false));
    }

    /** Like {@link #write} but deflating each entry, as {@code numpy.savez_compressed} does. */
    public static void writeCompressed(Path file, Map<String, NdArray> arrays) throws IOException {
        AtomicFile.write(file, out -> write(out, arrays, true));
    }

    /** The bytes of an uncompressed {@code .npz} of {@code arrays}, for nesting inside another zip. */
    static byte[] encode(Map<String, NdArray> arrays) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, arrays, false);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Writes one entry at a time so that only one encoded array is in memory; closes {@code out}. */
    private static void write(OutputStream out, Map<String, NdArray> arrays, boolean compress) throws IOException {
        try (ZipWriter zip = new ZipWriter(out, compress)) {
            for (Map.Entry<String, NdArray> array : arrays.entrySet()) {
                zip.add(array.getKey() + NPY_SUFFIX, Npy.encode(array.getValue()));
            }
        }
    }

    /** The arrays of an open {@code .npz} archive by name, in file order, each entry within the archive's limits. */
    static Map<String, NdArray> decode(ZipReader zip) throws IOException {
        return decode(zip, null, null);
    }

    /**
     * The arrays of an open {@code .npz} archive by name, in file order, which must be exactly the arrays of
     * {@code expected} with their shapes (when it is not null). Entries are read one at a time, each refused
     * before it is read when it is larger than its expected shape allows.
     *
     * @param expected the shapes by array name, or null to accept any arrays within the archive's limits
     * @param expectedFrom where {@code expected} comes from, for errors, e.g. {@code "data.json's spaces and policy_kwargs"}
     */
    static Map<String, NdArray> decode(ZipReader zip, Map<String, int[]> expected, String expectedFrom) throws IOException {
        String source = zip.source();
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (String entry : zip.names()) {
            if (!entry.endsWith(NPY_SUFFIX)) {
                throw new MalformedFileException(source + ": zip entry '" + entry + "' is not an .npy array");
            }
            String name = entry.substring(0, entry.length() - NPY_SUFFIX.length());
            int[] shape = expected == null ? null : expected.get(name);
            if (expected != null && shape == null) {
                throw new MalformedFileException(source + ": array '" + name + "' is not one of the " + expected.size() + " arrays "
                        + expectedFrom + " give: " + expected.keySet());
            }
            byte[] bytes = shape == null ? zip.read(entry, Long.MAX_VALUE, "the entry limit")
                    : zip.read(entry, Npy.maxBytes(shape), "what shape " + NdArray.formatShape(shape) + " needs");
            NdArray array = Npy.decode(bytes, entry + " in " + source);
            if (shape != null && !Arrays.equals(array.shape(), shape)) {
                throw new MalformedFileException(source + ": array '" + name + "' has shape " + NdArray.formatShape(array.shape())
                        + " but " + expectedFrom + " give " + NdArray.formatShape(shape));
            }
            arrays.put(name, array);
        }
        if (expected != null && !arrays.keySet().equals(expected.keySet())) {
            List<String> missing = new ArrayList<>(expected.keySet());
            missing.removeAll(arrays.keySet());
            throw new MalformedFileException(source + " lacks arrays " + expectedFrom + " give: " + missing);
        }
        return Collections.unmodifiableMap(arrays);
    }

    /**
     * The most bytes an {@code .npz} of arrays with exactly these shapes may take (any dtype, stored or
     * deflated, with generous room for headers); {@link Long#MAX_VALUE} when that does not fit a long.
     */
    static long maxBytes(Map<String, int[]> shapes) {
        try {
            long total = ZIP_END_BYTES;
            for (Map.Entry<String, int[]> array : shapes.entrySet()) {
                long npy = Npy.maxBytes(array.getValue());
                // Deflate may add a little to incompressible data; each name appears in two headers.
                long entry = Math.addExact(Math.addExact(npy, npy / DEFLATE_GROWTH_DIVISOR),
                        ZIP_ENTRY_BYTES + 2L * (array.getKey() + NPY_SUFFIX).getBytes(StandardCharsets.UTF_8).length);
                total = Math.addExact(total, entry);
            }
            return total;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
