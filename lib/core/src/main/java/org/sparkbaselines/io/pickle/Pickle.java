package org.sparkbaselines.io.pickle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.ReadLimits;

/**
 * Reads Python pickles (protocols 0 to 5) safely: the opcodes are interpreted here and nothing a file
 * names is ever imported, looked up by reflection, instantiated or run. Stable Baselines 2 saves its
 * {@code .pkl} models this way, with cloudpickled functions inside, which Python's own unpickler would
 * execute.
 *
 * <p>What a pickle builds becomes:
 * <ul>
 *   <li>{@code None} → {@code null}; {@code bool} → {@link Boolean}; {@code int} → {@link Long}, or
 *       {@link java.math.BigInteger} when it does not fit; {@code float} → {@link Double};
 *       {@code str} → {@link String}; {@code bytes} and {@code bytearray} → {@code byte[]}; Python 2
 *       {@code str} ({@code STRING} opcodes) → {@link String} decoded as latin-1;</li>
 *   <li>{@code list} → {@link java.util.ArrayList}; {@code tuple} → {@link PyTuple}; {@code dict} and
 *       {@code collections.OrderedDict} → {@link java.util.LinkedHashMap} in insertion order;
 *       {@code set} and {@code frozenset} → {@link java.util.LinkedHashSet};</li>
 *   <li>a numpy array → {@link org.sparkbaselines.io.NdArray} (dtypes f4, f8, i4, i8, b1, u1; i1, i2 and
 *       u2 widened to int32 and u4 to int64; either byte order; C or Fortran order); a numpy scalar →
 *       {@link Double}, {@link Long} or {@link Boolean}; object arrays and other dtypes are refused;</li>
 *   <li>any other global → {@link PyGlobal}; calling one (or calling a placeholder) → a {@link PyObject}
 *       placeholder recording the call and what {@code BUILD} set. A numpy dtype is such a placeholder,
 *       of type {@code numpy.dtype} with arguments like {@code ('f4', False, True)}.</li>
 * </ul>
 * Only pure data operations are evaluated: {@code OrderedDict}, {@code dict}, {@code list},
 * {@code tuple}, {@code set}, {@code frozenset}, {@code bytes}, {@code bytearray} and
 * {@code _codecs.encode(str, 'latin1')} of plain values, {@code copyreg._reconstructor} and
 * {@code __newobj__} (as placeholders), and numpy's {@code dtype}, {@code _reconstruct},
 * {@code scalar} and {@code _frombuffer}. Persistent IDs, the extension registry and out-of-band
 * buffers are refused.
 *
 * <p>Loaded structures may refer to themselves, as in Python; {@link #repr(Object)} and the
 * {@code toString} of {@link PyTuple} and {@link PyObject} always terminate. Bytes after the final
 * {@code STOP} opcode are ignored, as Python's {@code pickle.loads} ignores them.
 *
 * <p>Every problem is a {@link MalformedFileException} with a one-line message naming the source, the
 * problem and usually the opcode and its offset: a truncated or corrupt stream, a length claiming more
 * bytes than remain, a numpy shape that does not match its data, stack underflow, a missing mark or
 * memo entry, an unhashable dict key, or more than a million values on the stack.
 */
public final class Pickle {
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private Pickle() {
    }

    /** Reads a pickle file of at most {@link ReadLimits#DEFAULT}'s {@code maxEntryBytes} (1 GiB). */
    public static Object load(Path file) throws IOException {
        return load(file, ReadLimits.DEFAULT.maxEntryBytes());
    }

    /**
     * Reads a pickle file of at most {@code maxBytes} bytes; a larger file is refused before it is read.
     *
     * @throws IllegalArgumentException when {@code maxBytes} is not positive
     */
    public static Object load(Path file, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        long limit = Math.min(maxBytes, MAX_ARRAY_BYTES);
        if (Files.size(file) > limit) {
            throw tooLarge(file, limit);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) limit);
            if (in.read() >= 0) { // the file grew since its size was checked
                throw tooLarge(file, limit);
            }
        }
        return load(bytes, file.toString());
    }

    /**
     * Reads the pickle in {@code bytes}.
     *
     * @param source names the pickle in error messages, e.g. the file it came from
     */
    public static Object load(byte[] bytes, String source) throws MalformedFileException {
        return new Unpickler(bytes, source).load();
    }

    /**
     * A Python-like rendering of a loaded value, e.g. {@code {'gamma': 0.99, 'policy': ...}}, cut short on
     * cycles, deep nesting and long output: safe for any value {@link #load} returns, unlike the
     * {@code toString} of a self-referencing {@link java.util.ArrayList}.
     */
    public static String repr(Object value) {
        return PyRepr.of(value);
    }

    private static MalformedFileException tooLarge(Path file, long limit) {
        return new MalformedFileException(file + " is larger than the limit of " + limit + " bytes");
    }
}
