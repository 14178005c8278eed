package org.sparkbaselines.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
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
 * treats the file as untrusted ({@link ReadLimits}, {@link Npz}) and reports a bad file with a
 * {@link MalformedFileException} naming it and the problem. Entries this version does not know are
 * ignored, as the reference does.
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

    private static final String KIND = "model file";
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
     * Loads a model file saved by {@link #save}.
     *
     * @throws MalformedFileException naming the file and the problem: not a zip or truncated, a missing
     *     {@value #DATA_ENTRY} or {@value #PARAMETERS_ENTRY}, parameter names in {@value #PARAMETER_LIST_ENTRY}
     *     that do not match the arrays, entries escaping the folder or over {@code limits}, a bad array
     */
    public static ModelArchive load(Path path, ReadLimits limits) throws IOException {
        Map<String, byte[]> entries = ZipReader.readEntries(path, KIND, limits);
        String source = path.toString();
        ObjectNode data = jsonObject(required(entries, DATA_ENTRY, source), DATA_ENTRY, source);
        Map<String, NdArray> parameters = parameters(entries, source, limits);
        Map<String, NdArray> optimizerState = entries.containsKey(OPTIMIZER_ENTRY)
                ? nestedNpz(entries, OPTIMIZER_ENTRY, source, limits) : null;
        ObjectNode vecNormalize = entries.containsKey(VEC_NORMALIZE_ENTRY)
                ? jsonObject(entries.get(VEC_NORMALIZE_ENTRY), VEC_NORMALIZE_ENTRY, source) : null;
        return new ModelArchive(data, parameters, optimizerState, vecNormalize);
    }

    /**
     * The parameters in a file, for {@code load_parameters(file)}: either a model file (its
     * {@value #PARAMETERS_ENTRY}, ordered and checked against {@value #PARAMETER_LIST_ENTRY}) or a bare
     * {@code .npz} of named arrays (in file order). Reads within {@link ReadLimits#DEFAULT}.
     */
    public static Map<String, NdArray> loadParameters(Path path) throws IOException {
        Map<String, byte[]> entries = ZipReader.readEntries(path, "model or .npz file", ReadLimits.DEFAULT);
        return entries.containsKey(PARAMETERS_ENTRY)
                ? parameters(entries, path.toString(), ReadLimits.DEFAULT)
                : Npz.decode(entries, path.toString());
    }

    /** {@code path}, with ".zip" appended when its file name has no extension ("model." and "a.b" have one; ".hidden" does not). */
    static Path withZipExtension(Path path) {
        String name = path.getFileName().toString();
        String withoutLeadingDots = name.replaceFirst("^\\.+", "");
        return withoutLeadingDots.contains(".") ? path : path.resolveSibling(name + ".zip");
    }

    /** The parameters, in {@value #PARAMETER_LIST_ENTRY}'s order after checking it names exactly the arrays. */
    private static Map<String, NdArray> parameters(Map<String, byte[]> entries, String source, ReadLimits limits) throws IOException {
        Map<String, NdArray> arrays = nestedNpz(entries, PARAMETERS_ENTRY, source, limits);
        List<String> names = parameterList(required(entries, PARAMETER_LIST_ENTRY, source), source);
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(arrays.keySet());
        List<String> extra = new ArrayList<>(arrays.keySet());
        extra.removeAll(names);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new MalformedFileException(source + ": " + PARAMETER_LIST_ENTRY + " does not match " + PARAMETERS_ENTRY
                    + (missing.isEmpty() ? "" : "; arrays missing from " + PARAMETERS_ENTRY + ": " + missing)
                    + (extra.isEmpty() ? "" : "; arrays not in " + PARAMETER_LIST_ENTRY + ": " + extra));
        }
        Map<String, NdArray> ordered = new LinkedHashMap<>();
        names.forEach(name -> ordered.put(name, arrays.get(name)));
        return ordered;
    }

    private static List<String> parameterList(byte[] json, String source) throws MalformedFileException {
        JsonNode root = parseJson(json, PARAMETER_LIST_ENTRY, source);
        MalformedFileException notANameList = new MalformedFileException(
                source + ": " + PARAMETER_LIST_ENTRY + " must be a JSON array of distinct names");
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

    private static Map<String, NdArray> nestedNpz(Map<String, byte[]> entries, String name, String source, ReadLimits limits)
            throws IOException {
        return Npz.read(new ByteArrayInputStream(required(entries, name, source)), name + " in " + source, limits);
    }

    private static byte[] required(Map<String, byte[]> entries, String name, String source) throws MalformedFileException {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new MalformedFileException(source + " is not a " + KIND + ": it has no " + name + " entry");
        }
        return bytes;
    }

    private static ObjectNode jsonObject(byte[] json, String name, String source) throws MalformedFileException {
        if (parseJson(json, name, source) instanceof ObjectNode object) {
            return object;
        }
        throw new MalformedFileException(source + ": " + name + " is not a JSON object");
    }

    private static JsonNode parseJson(byte[] json, String name, String source) throws MalformedFileException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(source + ": " + name + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedFileException(source + ": " + name + " cannot be read as JSON (" + e.getMessage() + ")", e);
        }
    }
}
