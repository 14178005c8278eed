package org.sparkbaselines.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model file: a zip like the reference's (Stable Baselines 2.10 {@code save}), with
 * <ul>
 *   <li>{@value #DATA_ENTRY}: a JSON object from the algorithm (class, hyperparameters, spaces,
 *       num_timesteps, seed, library version);</li>
 *   <li>{@value #PARAMETERS_ENTRY}: the parameters as a nested {@code .npz}, readable by numpy;</li>
 *   <li>{@value #PARAMETER_LIST_ENTRY}: a JSON array of the parameter names in order;</li>
 *   <li>{@value #OPTIMIZER_ENTRY} (when there is optimizer state): its arrays as a nested {@code .npz};</li>
 *   <li>{@value #VEC_NORMALIZE_ENTRY} (when the env is normalized): the VecNormalize statistics.</li>
 * </ul>
 * Only JSON and numpy arrays, never Java serialization: loading a model file cannot run code. Loading
 * treats the file as untrusted ({@link ReadLimits}, {@link Npz}, {@link Reader}: entries are read on
 * demand, each within what it can hold) and reports a bad file with a {@link MalformedFileException}
 * naming it and the problem. Entries this version does not know are ignored, as the reference does,
 * and never read.
 *
 * @param data the algorithm's description ({@value #DATA_ENTRY})
 * @param parameters the parameters by name, in the policy's order (iteration order of this map)
 * @param optimizerState the optimizer's arrays by name; empty when there are none
 * @param vecNormalize the VecNormalize statistics, or null
 */
public record ModelArchive(ObjectNode data, Map<String, NdArray> parameters, Map<String, NdArray> optimizerState,
        ObjectNode vecNormalize) {
    public static final String DATA_ENTRY = "data.json";
    public static final String PARAMETERS_ENTRY = "parameters.npz";
    public static final String PARAMETER_LIST_ENTRY = "parameter_list.json";
    public static final String OPTIMIZER_ENTRY = "optimizer.npz";
    public static final String VEC_NORMALIZE_ENTRY = "vec_normalize.json";

    /**
     * The largest {@value #DATA_ENTRY} and {@value #PARAMETER_LIST_ENTRY} read: far above what models write
     * (a few KB for CartPole, about 350 KB for the bounds of an 84x84x4 image space), small enough that a
     * larger one is refused before it is read, and that parsing one costs a few tens of MB at most.
     */
    public static final long MAX_JSON_BYTES = 1L << 20;
    /** Room in {@value #VEC_NORMALIZE_ENTRY} per observation value: its mean and variance, each a JSON number with a separator. */
    private static final long VEC_NORMALIZE_BYTES_PER_OBSERVATION_VALUE = 2 * 32;
    /** Optimizer state holds at most two arrays the size of each parameter (Adam's moments)... */
    private static final long MAX_OPTIMIZER_SLOTS = 2;
    /** ...and a few scalars (Adam's step). */
    private static final long OPTIMIZER_SCALARS_BYTES = 64 * 1024;
    private static final String KIND = "model file";
    /** Where this library's model files keep their entries. */
    private static final Entries OURS = new Entries(DATA_ENTRY, PARAMETERS_ENTRY, PARAMETER_LIST_ENTRY, KIND);
    /** Where Stable Baselines 2's {@code .zip} files (2.8 and later) keep theirs: same roles, other names. */
    private static final Entries SB2 = new Entries("data", "parameters", "parameter_list", "Stable Baselines 2 model file");

    /**
     * The names of the entries a reader looks for, and what the file is, for errors.
     *
     * @param data the JSON object describing the model
     * @param parameters the nested {@code .npz} of parameters
     * @param parameterList the JSON array of parameter names in order
     * @param kind what the file is, e.g. {@code "model file"}
     */
    private record Entries(String data, String parameters, String parameterList, String kind) {
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Copies everything, so the archive cannot change after construction.
     *
     * @param optimizerState may be null (no optimizer state)
     * @param vecNormalize may be null (no normalization)
     */
    public ModelArchive {
        data = Objects.requireNonNull(data, "data").deepCopy();
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
        optimizerState = optimizerState == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
        vecNormalize = vecNormalize == null ? null : vecNormalize.deepCopy();
    }

    /** A copy of {@value #DATA_ENTRY}'s object. */
    @Override
    public ObjectNode data() {
        return data.deepCopy();
    }

    /** A copy of the VecNormalize statistics, or null. */
    @Override
    public ObjectNode vecNormalize() {
        return vecNormalize == null ? null : vecNormalize.deepCopy();
    }

    /**
     * Saves the archive atomically (on failure no half-written file is left and an existing file is
     * unchanged), creating missing parent directories.
     *
     * @param path where to save; ".zip" is appended when its file name has no extension, as the reference does
     * @return the path written
     */
    public Path save(Path path) throws IOException {
        Path target = withZipExtension(path);
        AtomicFile.write(target, out -> {
            try (ZipWriter zip = new ZipWriter(out, true)) {
                zip.add(DATA_ENTRY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(data));
                zip.add(PARAMETERS_ENTRY, Npz.encode(parameters));
                zip.add(PARAMETER_LIST_ENTRY, JSON.writeValueAsBytes(parameters.keySet()));
                if (!optimizerState.isEmpty()) {
                    zip.add(OPTIMIZER_ENTRY, Npz.encode(optimizerState));
                }
                if (vecNormalize != null) {
                    zip.add(VEC_NORMALIZE_ENTRY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(vecNormalize));
                }
            }
        });
        return target;
    }

    /** Loads a model file within {@link ReadLimits#DEFAULT}; see {@link #load(Path, ReadLimits)}. */
    public static ModelArchive load(Path path) throws IOException {
        return load(path, ReadLimits.DEFAULT);
    }

    /**
     * Loads a model file saved by {@link #save}, every entry it knows (to check parameters against the
     * shapes a model needs before reading them, use {@link #open} and {@link Reader#parameters}).
     *
     * @throws MalformedFileException naming the file and the problem: not a zip or truncated, a missing
     *     {@value #DATA_ENTRY} or {@value #PARAMETERS_ENTRY}, parameter names in {@value #PARAMETER_LIST_ENTRY}
     *     that do not match the arrays, entries escaping the folder or over {@code limits}, a bad or non-finite array
     */
    public static ModelArchive load(Path path, ReadLimits limits) throws IOException {
        try (Reader reader = open(path, limits)) {
            return new ModelArchive(reader.data(), reader.parameters(null), reader.optimizerState(null), reader.vecNormalize(Integer.MAX_VALUE));
        }
    }

    /** Opens a model file within {@link ReadLimits#DEFAULT}; see {@link #open(Path, ReadLimits)}. */
    public static Reader open(Path path) throws IOException {
        return open(path, ReadLimits.DEFAULT);
    }

    /**
     * Opens a model file to read its entries one by one, each when asked for and within a limit set by
     * what it is: entries nobody asks for (including ones this version does not know) are never read.
     *
     * @throws MalformedFileException when the file is not a zip, is truncated or has entries escaping the folder
     */
    public static Reader open(Path path, ReadLimits limits) throws IOException {
        return new Reader(ZipReader.open(path, KIND, limits), limits, OURS);
    }

    /**
     * Opens a Stable Baselines 2 {@code .zip} (entries {@code data}, {@code parameters} and
     * {@code parameter_list}) with the same checks as {@link #open(Path, ReadLimits)}. Its {@code data}
     * JSON keeps the values SB2 could not write as JSON as base64 cloudpickle strings, which nothing here
     * decodes.
     *
     * @param limits the caller's bound on entries, e.g. from the parameter shapes the model's env implies
     */
    public static Reader openSb2(Path path, ReadLimits limits) throws IOException {
        return new Reader(ZipReader.open(path, SB2.kind(), limits), limits, SB2);
    }

    /**
     * The parameters in a file, for {@code load_parameters(file)}: either a model file (its
     * {@value #PARAMETERS_ENTRY}, ordered and checked against {@value #PARAMETER_LIST_ENTRY}) or a bare
     * {@code .npz} of named arrays (in file order). Reads within {@link ReadLimits#DEFAULT}.
     */
    public static Map<String, NdArray> loadParameters(Path path) throws IOException {
        try (ZipReader zip = ZipReader.open(path, "model or .npz file", ReadLimits.DEFAULT)) {
            return zip.contains(PARAMETERS_ENTRY) ? new Reader(zip, ReadLimits.DEFAULT, OURS).parameters(null) : Npz.decode(zip);
        }
    }

    /**
     * An open model file (see {@link #open}). Each method reads its entry when called, refusing it from its
     * declared size before reading when it is larger than what it is can be: {@value #DATA_ENTRY} or
     * {@value #PARAMETER_LIST_ENTRY} over {@link #MAX_JSON_BYTES}, {@value #PARAMETERS_ENTRY} over what the
     * expected parameter shapes take, {@value #OPTIMIZER_ENTRY} over what optimizer state for them takes,
     * {@value #VEC_NORMALIZE_ENTRY} over what statistics of the observations take.
     */
    public static final class Reader implements Closeable {
        /** Where the expected parameter shapes come from, for errors. */
        private final String expectedFrom;
        private final ZipReader zip;
        private final ReadLimits limits;
        private final Entries entries;

        private Reader(ZipReader zip, ReadLimits limits, Entries entries) {
            this.zip = zip;
            this.limits = limits;
            this.entries = entries;
            this.expectedFrom = entries.data() + "'s policy, spaces and policy_kwargs";
        }

        /** The object of {@value #DATA_ENTRY}. */
        public ObjectNode data() throws IOException {
            return jsonObject(required(entries.data()));
        }

        /**
         * The parameters, in {@value #PARAMETER_LIST_ENTRY}'s order after checking it names exactly the
         * arrays, all finite.
         *
         * @param expectedShapes the shapes the parameters must have by name, worked out from {@value #DATA_ENTRY}
         *     (the policy, spaces and policy_kwargs); or null to accept any arrays within the limits. With them
         *     {@value #PARAMETERS_ENTRY} is refused before it is read when the shapes hold more values than it
         *     may or it is larger than they take, and each array before it is read when it is not one of them
         *     or is larger than its shape takes.
         */
        public Map<String, NdArray> parameters(Map<String, int[]> expectedShapes) throws IOException {
            long limit = Long.MAX_VALUE;
            if (expectedShapes != null) {
                checkParameterCount(expectedShapes);
                limit = Npz.maxBytes(expectedShapes);
            }
            Map<String, NdArray> arrays = arrays(entries.parameters(), limit, "the most arrays of the shapes " + expectedFrom + " give take",
                    expectedShapes);
            List<String> names = parameterList();
            List<String> missing = new ArrayList<>(names);
            missing.removeAll(arrays.keySet());
            List<String> extra = new ArrayList<>(arrays.keySet());
            extra.removeAll(names);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                throw new MalformedFileException(zip.source() + ": " + entries.parameterList() + " does not match " + entries.parameters()
                        + (missing.isEmpty() ? "" : "; arrays missing from " + entries.parameters() + ": " + missing)
                        + (extra.isEmpty() ? "" : "; arrays not in " + entries.parameterList() + ": " + extra));
            }
            Map<String, NdArray> ordered = new LinkedHashMap<>();
            names.forEach(name -> ordered.put(name, arrays.get(name)));
            return ordered;
        }

        /**
         * The optimizer's arrays by name, all finite; empty when the file has none.
         *
         * @param parameterShapes as for {@link #parameters}: with them, {@value #OPTIMIZER_ENTRY} is refused
         *     before it is read when it is larger than optimizer state for such parameters takes
         */
        public Map<String, NdArray> optimizerState(Map<String, int[]> parameterShapes) throws IOException {
            if (!zip.contains(OPTIMIZER_ENTRY)) {
                return Map.of();
            }
            long limit = Long.MAX_VALUE;
            if (parameterShapes != null) {
                try {
                    limit = Math.addExact(Math.multiplyExact(MAX_OPTIMIZER_SLOTS, Npz.maxBytes(parameterShapes)), OPTIMIZER_SCALARS_BYTES);
                } catch (ArithmeticException e) {
                    limit = Long.MAX_VALUE; // the entry limit applies
                }
            }
            return arrays(OPTIMIZER_ENTRY, limit, "the most optimizer state for the parameters " + expectedFrom + " give takes", null);
        }

        /**
         * The VecNormalize statistics, or null when the file has none.
         *
         * @param observationValues the number of values in one observation, which the statistics' size grows with
         */
        public ObjectNode vecNormalize(int observationValues) throws IOException {
            if (!zip.contains(VEC_NORMALIZE_ENTRY)) {
                return null;
            }
            long limit = MAX_JSON_BYTES + VEC_NORMALIZE_BYTES_PER_OBSERVATION_VALUE * observationValues;
            return jsonObject(VEC_NORMALIZE_ENTRY, limit, "the limit for the statistics of " + observationValues + " observation values");
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }

        /** Refuses shapes holding more float32 values than {@value #PARAMETERS_ENTRY} may hold, before reading anything. */
        private void checkParameterCount(Map<String, int[]> shapes) throws MalformedFileException {
            long maxCount = limits.maxEntryBytes() / Float.BYTES;
            long count = 0;
            try {
                for (int[] shape : shapes.values()) {
                    long elements = 1;
                    for (int dim : shape) {
                        elements = Math.multiplyExact(elements, dim);
                    }
                    count = Math.addExact(count, elements);
                }
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
            if (count > maxCount) {
                throw new MalformedFileException(zip.source() + ": " + expectedFrom + " give " + (count == Long.MAX_VALUE ? "more than "
                        + Long.MAX_VALUE : count) + " parameters, more than " + entries.parameters() + " may hold (" + maxCount
                        + " float32 values within " + limits + ")");
            }
        }

        private List<String> parameterList() throws IOException {
            JsonNode root = parseJson(json(required(entries.parameterList())), entries.parameterList());
            MalformedFileException notANameList = new MalformedFileException(
                    zip.source() + ": " + entries.parameterList() + " must be a JSON array of distinct names");
            if (!root.isArray()) {
                throw notANameList;
            }
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode name : root) {
                if (!name.isTextual() || !names.add(name.asText())) {
                    throw notANameList;
                }
            }
            return List.copyOf(names);
        }

        /**
         * The finite arrays of nested {@code .npz} entry {@code name}, with {@code expectedShapes} (or any when null),
         * read within {@code limit}, which {@code why} explains.
         */
        private Map<String, NdArray> arrays(String name, long limit, String why, Map<String, int[]> expectedShapes) throws IOException {
            try (ZipReader npz = zip.openNested(required(name), limit, why, ".npz file")) {
                Map<String, NdArray> arrays = Npz.decode(npz, expectedShapes, expectedFrom);
                requireFinite(arrays, npz.source());
                return arrays;
            }
        }

        private String required(String name) throws MalformedFileException {
            if (!zip.contains(name)) {
                throw new MalformedFileException(zip.source() + " is not a " + entries.kind() + ": it has no " + name + " entry");
            }
            return name;
        }

        private byte[] json(String name) throws IOException {
            return zip.read(name, MAX_JSON_BYTES, "the limit for " + name);
        }

        private ObjectNode jsonObject(String name) throws IOException {
            return jsonObject(name, MAX_JSON_BYTES, "the limit for " + name);
        }

        private ObjectNode jsonObject(String name, long limit, String why) throws IOException {
            if (parseJson(zip.read(name, limit, why), name) instanceof ObjectNode object) {
                return object;
            }
            throw new MalformedFileException(zip.source() + ": " + name + " is not a JSON object");
        }

        private JsonNode parseJson(byte[] json, String name) throws MalformedFileException {
            try {
                return JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new MalformedFileException(zip.source() + ": " + name + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
            } catch (IOException e) {
                throw new MalformedFileException(zip.source() + ": " + name + " cannot be read as JSON (" + e.getMessage() + ")", e);
            }
        }
    }

    /** Refuses NaN and infinite values: a model holding them cannot act sensibly, and training from it cannot recover. */
    private static void requireFinite(Map<String, NdArray> arrays, String source) throws MalformedFileException {
        for (Map.Entry<String, NdArray> array : arrays.entrySet()) {
            Object data = array.getValue().rawData();
            if (data instanceof float[] values) {
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw nonFinite(source, array.getKey(), values[i], i);
                    }
                }
            } else if (data instanceof double[] values) {
                for (int i = 0; i < values.length; i++) {
                    if (!Double.isFinite(values[i])) {
                        throw nonFinite(source, array.getKey(), values[i], i);
                    }
                }
            }
        }
    }

    private static MalformedFileException nonFinite(String source, String array, double value, int index) {
        return new MalformedFileException(source + ": array '" + array + "' holds " + value + " at flat index " + index
                + "; model arrays must be finite");
    }

    /**
     * {@code path}, with ".zip" appended when its file name has no extension ("model." and "a.b" have one; ".hidden" does not):
     * the file {@link #save} writes.
     */
    public static Path withZipExtension(Path path) {
        String name = path.getFileName().toString();
        String withoutLeadingDots = name.replaceFirst("^\\.+", "");
        return withoutLeadingDots.contains(".") ? path : path.resolveSibling(name + ".zip");
    }
}
