package org.sparkbaselines.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    private Npz() {
    }

    /** The arrays of an {@code .npz} file by name, in file order, within {@link ReadLimits#DEFAULT}. */
    public static Map<String, NdArray> read(Path file) throws IOException {
        return read(file, ReadLimits.DEFAULT);
    }

    /** The arrays of an {@code .npz} file by name, in file order, within {@code limits}. */
    public static Map<String, NdArray> read(Path file, ReadLimits limits) throws IOException {
        return decode(ZipReader.readEntries(file, KIND, limits), file.toString());
    }

    /** The arrays of the {@code .npz} data in {@code in} by name, in file order, within {@link ReadLimits#DEFAULT}. */
    public static Map<String, NdArray> read(InputStream in) throws IOException {
        return read(in, ReadLimits.DEFAULT);
    }

    /** The arrays of the {@code .npz} data in {@code in} by name, in file order, within {@code limits}. */
    public static Map<String, NdArray> read(InputStream in, ReadLimits limits) throws IOException {
        return read(in, "the .npz stream", limits);
    }

    /** Reads {@code .npz} data; {@code source} names it in errors, e.g. {@code "parameters.npz in model.zip"}. */
    static Map<String, NdArray> read(InputStream in, String source, ReadLimits limits) throws IOException {
        return decode(ZipReader.readEntries(in, source, KIND, limits), source);
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

    /** The arrays of checked zip entries; {@code source} names the archive in errors. */
    static Map<String, NdArray> decode(Map<String, byte[]> entries, String source) throws MalformedFileException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (!name.endsWith(NPY_SUFFIX)) {
                throw new MalformedFileException(source + ": zip entry '" + name + "' is not an .npy array");
            }
            arrays.put(name.substring(0, name.length() - NPY_SUFFIX.length()), Npy.decode(entry.getValue(), name + " in " + source));
        }
        return Collections.unmodifiableMap(arrays);
    }
}
