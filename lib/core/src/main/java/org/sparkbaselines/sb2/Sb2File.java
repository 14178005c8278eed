package org.sparkbaselines.sb2;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.ReadLimits;
import org.sparkbaselines.io.pickle.Pickle;
import org.sparkbaselines.io.pickle.PyTuple;

/**
 * A Stable Baselines 2 model file, read without running anything it names: the legacy {@code .pkl} (one
 * pickle of {@code (data, params)}, interpreted by {@link Pickle}) or the {@code .zip} of SB2 2.8 and later
 * ({@code data} JSON, {@code parameters} npz, {@code parameter_list}).
 *
 * @param path the file
 * @param data the model's constructor arguments and spaces. From a {@code .pkl}: plain values, numpy
 *     arrays and inert placeholders ({@link org.sparkbaselines.io.pickle.PyGlobal},
 *     {@link org.sparkbaselines.io.pickle.PyObject}) for everything else; from a {@code .zip}: JSON values,
 *     where what SB2 could not write as JSON is a map holding a base64 cloudpickle string under
 *     {@code ":serialized:"}, left undecoded
 * @param arrays the parameters in saved order
 * @param names the parameters' names, or null when the file does not name them (a {@code .pkl} list,
 *     whose order is the algorithm's {@code get_parameter_list()})
 */
public record Sb2File(Path path, Map<String, Object> data, List<NdArray> arrays, List<String> names) {
    /** The key under which SB2's {@code .zip} data keeps a value it serialized with cloudpickle. */
    static final String SERIALIZED = ":serialized:";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Sb2File {
        Map<String, Object> withNone = new LinkedHashMap<>();
        data.forEach((key, value) -> withNone.put(key, value == null ? NONE : value));
        data = java.util.Collections.unmodifiableMap(withNone);
        arrays = List.copyOf(arrays);
        names = names == null ? null : List.copyOf(names);
    }

    /**
     * Reads a {@code .pkl} or {@code .zip} file (told apart by their first bytes, not the name) within {@code limits}.
     *
     * @throws MalformedFileException naming the file and the problem: not an SB2 model, truncated, hostile
     */
    public static Sb2File read(Path path, ReadLimits limits) throws IOException {
        requireFile(path);
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(path)) {
            if (in.readNBytes(magic, 0, 2) < 2) {
                throw new MalformedFileException(path + " is not a Stable Baselines 2 model: it is empty or shorter than any model");
            }
        }
        return magic[0] == 'P' && magic[1] == 'K' ? readZip(path, limits) : readPickle(path, limits);
    }

    /**
     * Whether {@code file} is meant as a Stable Baselines 2 model rather than one of ours: a zip with SB2's
     * {@code data} entry and not our {@code data.json}; otherwise a pickle of protocol 2 or later (as SB2
     * writes them) or any other {@code .pkl}. The content decides before the name, so that a model of ours
     * saved under a {@code .pkl} name stays ours. Whether it really is one, {@link #read} finds out.
     *
     * @throws MalformedFileException when {@code file} is a directory
     */
    public static boolean isSb2(Path file) throws IOException {
        requireFile(file);
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(2);
        }
        if (magic.length == 2 && magic[0] == 'P' && magic[1] == 'K') {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
                return zip.getEntry("data") != null && zip.getEntry(ModelArchive.DATA_ENTRY) == null;
            } catch (java.util.zip.ZipException e) {
                return false; // not a readable zip: the loader that reads it says why
            }
        }
        return magic.length == 2 && (magic[0] & 0xff) == 0x80
                || file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pkl");
    }

    /** Refuses a directory by name: reading one would fail with the bare "Is a directory" of the OS. */
    private static void requireFile(Path path) throws MalformedFileException {
        if (Files.isDirectory(path)) {
            throw new MalformedFileException(path + " is a directory, not a model file");
        }
    }

    private static Sb2File readPickle(Path path, ReadLimits limits) throws IOException {
        Object top;
        try {
            top = Pickle.load(path, limits.maxEntryBytes());
        } catch (MalformedFileException e) {
            String where = path + ": ";
            if (e.getMessage() == null || !e.getMessage().startsWith(where)) {
                throw e; // not about the stream's content, e.g. the file is over the size limit
            }
            // e.g. a text file named .pkl: say what it is not before the opcode that broke
            throw new MalformedFileException(path + " is not a Stable Baselines 2 model: its pickle cannot be read ("
                    + e.getMessage().substring(where.length()) + ")", e);
        }
        if (!(top instanceof PyTuple tuple) || tuple.items().size() != 2 || !(tuple.items().get(0) instanceof Map<?, ?> data)) {
            throw new MalformedFileException(path + " is not a Stable Baselines 2 model: its pickle is not a (data, params) pair");
        }
        Object params = tuple.items().get(1);
        List<NdArray> arrays = new ArrayList<>();
        List<String> names = null;
        if (params instanceof List<?> list) {
            for (Object array : list) {
                arrays.add(array(path, array, "params[" + arrays.size() + "]"));
            }
        } else if (params instanceof Map<?, ?> named) {
            names = new ArrayList<>();
            for (Map.Entry<?, ?> entry : named.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new MalformedFileException(path + ": a parameter name is not a string: " + entry.getKey());
                }
                names.add(key);
                arrays.add(array(path, entry.getValue(), "params['" + key + "']"));
            }
        } else {
            throw new MalformedFileException(path + ": the saved params are neither a list nor a dict of arrays");
        }
        return new Sb2File(path, stringKeys(path, data), arrays, names);
    }

    private static Sb2File readZip(Path path, ReadLimits limits) throws IOException {
        try (ModelArchive.Reader zip = ModelArchive.openSb2(path, limits)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = JSON.convertValue(zip.data(), LinkedHashMap.class);
            Map<String, NdArray> parameters = zip.parameters(null);
            return new Sb2File(path, data, new ArrayList<>(parameters.values()), new ArrayList<>(parameters.keySet()));
        }
    }

    private static NdArray array(Path path, Object value, String where) throws MalformedFileException {
        if (value instanceof NdArray array) {
            return array;
        }
        // A 0-d variable (DQN saves one first) pickles as a numpy scalar, which the reader gives as a plain number.
        if (value instanceof Double scalar) {
            return NdArray.ofDoubles(new double[] {scalar});
        }
        if (value instanceof Long scalar) {
            return NdArray.ofLongs(new long[] {scalar});
        }
        throw new MalformedFileException(path + ": " + where + " is not a numpy array but " + describe(value));
    }

    private static Map<String, Object> stringKeys(Path path, Map<?, ?> data) throws MalformedFileException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : data.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new MalformedFileException(path + ": the saved data has a key that is not a string: " + entry.getKey());
            }
            out.put(key, entry.getValue());
        }
        return out;
    }

    /** Python's None in {@link #data} (maps here cannot hold null). */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** The value under {@code key}, with None and an absent key both null. */
    public Object get(String key) {
        Object value = data.get(key);
        return value == NONE ? null : value;
    }

    /** Whether {@code value} is a {@code .zip}'s undecoded cloudpickle string. */
    static boolean isSerialized(Object value) {
        return value instanceof Map<?, ?> map && map.containsKey(SERIALIZED);
    }

    /**
     * A short description of a value for errors. Rendered by {@link Pickle#repr}, never {@code toString}: a
     * few bytes of pickle can build a list holding itself or 2^40 shared references, whose {@code toString}
     * never ends or fills the heap.
     */
    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        String text = Pickle.repr(value);
        return value.getClass().getSimpleName() + " " + (text.length() > 80 ? text.substring(0, 80) + "..." : text);
    }
}
