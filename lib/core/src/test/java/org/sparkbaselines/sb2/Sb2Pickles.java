package org.sparkbaselines.sb2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.NdArray;

/**
 * Writes Stable Baselines 2 style pickles for tests (protocol 3, as Python's pickler would), so that odd
 * and hostile SB2 files are built here rather than committed: {@code null}, booleans, ints, doubles,
 * strings, lists and dicts (memoized by identity, so a list can hold itself or share a child many times),
 * {@link Global}s, objects of a global with a BUILD state ({@link Obj}), and numpy arrays ({@link NdArray}
 * of float32 or float64, written as numpy's {@code _reconstruct} and {@code __setstate__}).
 */
final class Sb2Pickles {
    /** A module-level name, e.g. {@code stable_baselines.common.policies.MlpPolicy}. */
    record Global(String module, String name) {
    }

    /** {@code type.__new__(type)} with {@code state} set by BUILD, as Python pickles a plain object. */
    record Obj(Global type, Map<String, Object> state) {
    }

    /** A Python tuple. */
    record Tuple(Object... items) {
    }

    static final Global MLP_POLICY = new Global("stable_baselines.common.policies", "MlpPolicy");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Object, Integer> memo = new IdentityHashMap<>();

    private Sb2Pickles() {
    }

    /** The pickle of {@code value}. */
    static byte[] pickle(Object value) {
        Sb2Pickles writer = new Sb2Pickles();
        writer.op(0x80).op(3);
        writer.write(value);
        writer.op('.');
        return writer.out.toByteArray();
    }

    /** Writes the SB2 model pickle {@code (data, params)} to {@code file}: params a list, or a dict of named arrays (TD3's). */
    static Path model(Path file, Map<String, Object> data, Object params) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, pickle(new Tuple(data, params)));
    }

    /** A gym {@code Box} of {@code shape} as SB2 pickles it (bounds left out: the import does not read them). */
    static Obj box(int... shape) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("shape", new Tuple(java.util.Arrays.stream(shape).boxed().toArray()));
        return new Obj(new Global("gym.spaces.box", "Box"), state);
    }

    /** A gym {@code Discrete(n)} as SB2 pickles it. */
    static Obj discrete(int n) {
        return new Obj(new Global("gym.spaces.discrete", "Discrete"), new LinkedHashMap<>(Map.of("n", n, "shape", new Tuple())));
    }

    private Sb2Pickles op(int code) {
        out.write(code);
        return this;
    }

    private void u32(int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    private void memoize(Object value) {
        int index = memo.size();
        memo.put(value, index);
        op('r');
        u32(index);
    }

    private void write(Object value) {
        Integer seen = value == null ? null : memo.get(value);
        if (seen != null) {
            op('j');
            u32(seen);
            return;
        }
        if (value == null) {
            op('N');
        } else if (value instanceof Boolean b) {
            op(b ? 0x88 : 0x89);
        } else if (value instanceof Integer || value instanceof Long) {
            op('J');
            u32(((Number) value).intValue());
        } else if (value instanceof Double d) {
            op('G');
            out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            u32(utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof byte[] bytes) {
            op('B');
            u32(bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof Tuple tuple) {
            op('(');
            for (Object item : tuple.items()) {
                write(item);
            }
            op('t');
        } else if (value instanceof List<?> list) {
            op(']');
            memoize(value);
            if (!list.isEmpty()) {
                op('(');
                list.forEach(this::write);
                op('e');
            }
        } else if (value instanceof Map<?, ?> map) {
            op('}');
            memoize(value);
            if (!map.isEmpty()) {
                op('(');
                map.forEach((k, v) -> {
                    write(k);
                    write(v);
                });
                op('u');
            }
        } else if (value instanceof Global global) {
            op('c');
            out.writeBytes((global.module() + "\n" + global.name() + "\n").getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Obj obj) {
            write(obj.type());
            op(')').op(0x81); // EMPTY_TUPLE, NEWOBJ
            write(obj.state());
            op('b');
        } else if (value instanceof NdArray array) {
            writeArray(array);
        } else if (value instanceof Dtype dtype) {
            writeDtype(dtype);
        } else {
            throw new IllegalArgumentException("cannot pickle " + value.getClass());
        }
    }

    /** numpy's pickle of an array: {@code _reconstruct(ndarray, (0,), b'b')}, then BUILD with {@code (1, shape, dtype, False, bytes)}. */
    private void writeArray(NdArray array) {
        boolean doubles = array.dtype() == DType.FLOAT64;
        ByteBuffer data = ByteBuffer.allocate(array.size() * (doubles ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        if (doubles) {
            for (double v : array.toDoubleArray()) {
                data.putDouble(v);
            }
        } else {
            for (float v : array.toFloatArray()) {
                data.putFloat(v);
            }
        }
        write(new Global("numpy.core.multiarray", "_reconstruct"));
        write(new Tuple(new Global("numpy", "ndarray"), new Tuple(0), "b".getBytes(StandardCharsets.US_ASCII)));
        op('R');
        Object[] shape = java.util.Arrays.stream(array.shape()).boxed().toArray();
        write(new Tuple(1, new Tuple(shape), new Dtype(doubles ? "f8" : "f4"), false, data.array()));
        op('b');
    }

    /** {@code numpy.dtype(descr, False, True)} with its little-endian BUILD state. */
    private record Dtype(String descr) {
    }

    private void writeDtype(Dtype dtype) {
        write(new Global("numpy", "dtype"));
        write(new Tuple(dtype.descr(), false, true));
        op('R');
        write(new Tuple(3, "<", null, null, null, -1, -1, 0));
        op('b');
    }
}
