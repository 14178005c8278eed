package org.sparkbaselines.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.vec.VecEnvs;

/**
 * Model files a hostile or broken writer could make from a good PPO2 CartPole-v1 model, each with what
 * the one-line error of loading it must say; shared by the library's and the command line's tests.
 * Zips are built here with {@code java.util.zip}, sizes declared honestly in their headers unless the
 * case is about a lying header.
 */
public enum HostileModelFile {
    DATA_JSON_OVER_THE_CAP(List.of("zip entry 'data.json' in {file} declares ", "over the limit of 1048576 (the limit for data.json)"),
            (good, target) -> write(target, editedData(good, data -> data.put("padding", " ".repeat(2 << 20))))),
    /** The largest data.json accepted, all of it the bounds of a 250,000-value Box. */
    DATA_JSON_AT_THE_CAP_ASKING_FOR_A_HUGE_INPUT_LAYER(List.of("parameters.npz in {file}: array 'model/pi_fc0/w:0' has shape (4, 64) "
            + "but data.json's policy, spaces and policy_kwargs give (250000, 64)"), (good, target) -> write(target, editedData(good, data -> data.set("observation_space",
                    tree(Map.of("type", "Box", "shape", List.of(250_000), "dtype", "float32", "low", Collections.nCopies(250_000, 0),
                            "high", Collections.nCopies(250_000, 1))))))),
    DATA_JSON_LYING_ABOUT_ITS_SIZE(List.of("zip entry 'data.json' in {file} holds more than the 100 bytes it declares"),
            (good, target) -> {
                Map<String, byte[]> entries = entries(good);
                byte[] data = entries.remove(ModelArchive.DATA_ENTRY);
                entries.put(ModelArchive.DATA_ENTRY, data); // last, where ZipFixtures.withDeclaredSize edits the header
                Files.write(target, ZipFixtures.withDeclaredSize(ZipFixtures.zip(entries, true), 100));
            }),
    /** 1 GiB of zeros (a 1 MB entry) whose header says it holds as many bytes as the good parameters do. */
    PARAMETERS_NPZ_BOMB_LYING_ABOUT_ITS_SIZE(List.of("zip entry 'parameters.npz' in {file} holds more than the ", " bytes it declares"),
            (good, target) -> {
                Map<String, byte[]> entries = entries(good);
                int honestSize = entries.remove(ModelArchive.PARAMETERS_ENTRY).length;
                Files.write(target, ZipFixtures.withDeclaredSize(withZerosEntry(entries, ModelArchive.PARAMETERS_ENTRY), honestSize));
            }),
    NET_ARCH_OF_BILLIONS_OF_PARAMETERS(List.of("{file}: data.json's policy, spaces and policy_kwargs give 2500", " parameters, more than "
            + "parameters.npz may hold"),
            (good, target) -> write(target, editedData(good, data -> data.putObject("policy_kwargs").putArray("net_arch").add(50_000).add(50_000)))),
    /** 64 million parameters: allowed, but building them would allocate 256 MB and run a QR of an 8000x8000 matrix. */
    NET_ARCH_OF_LARGE_LAYERS_THE_PARAMETERS_DO_NOT_HAVE(List.of("parameters.npz in {file}: array 'model/pi_fc0/w:0' has shape (4, 64) "
            + "but data.json's policy, spaces and policy_kwargs give (4, 8000)"),
            (good, target) -> write(target, editedData(good, data -> data.set("policy_kwargs",
                    tree(Map.of("net_arch", List.of(Map.of("pi", List.of(8000, 8000), "vf", List.of(64, 64))))))))),
    OBSERVATION_SPACE_OVERFLOWING_THE_NETWORK_INPUT(List.of("{file}: data.json: observation space", "one-hot encodes to more than 2147483647 "
            + "network inputs"),
            (good, target) -> write(target, editedData(good, data -> data.set("observation_space",
                    tree(Map.of("type", "MultiDiscrete", "nvec", List.of(Integer.MAX_VALUE, Integer.MAX_VALUE))))))),
    VEC_NORMALIZE_JSON_LARGER_THAN_ITS_OBSERVATIONS_TAKE(List.of("zip entry 'vec_normalize.json' in {file} declares ",
            "over the limit of 1048832 (the limit for the statistics of 4 observation values)"),
            (good, target) -> {
                Map<String, byte[]> entries = entries(good);
                entries.put(ModelArchive.VEC_NORMALIZE_ENTRY, bytes(Map.of("format", "padding", "padding", " ".repeat(2 << 20))));
                write(target, entries);
            }),
    NAN_PARAMETER(List.of("parameters.npz in {file}: array 'model/pi/w:0' holds NaN at flat index 3; model arrays must be finite"),
            (good, target) -> write(target, editedParameter(good, "model/pi/w:0", 3, Float.NaN))),
    INFINITE_PARAMETER(List.of("parameters.npz in {file}: array 'model/vf/b:0' holds -Infinity at flat index 0"),
            (good, target) -> write(target, editedParameter(good, "model/vf/b:0", 0, Float.NEGATIVE_INFINITY))),
    NO_OBSERVATION_SPACE(List.of("{file}: data.json has no 'observation_space' key"), withoutKey("observation_space")),
    NO_ACTION_SPACE(List.of("{file}: data.json has no 'action_space' key"), withoutKey("action_space")),
    NO_HYPERPARAMETERS(List.of("{file}: data.json has no 'hyperparameters' key"), withoutKey("hyperparameters")),
    NO_POLICY(List.of("{file}: data.json has no 'policy' key"), withoutKey("policy")),
    HYPERPARAMETERS_NOT_AN_OBJECT(List.of("{file}: data.json's 'hyperparameters' must be a JSON object, got array"),
            (good, target) -> write(target, editedData(good, data -> data.putArray("hyperparameters").add(0.99)))),
    MALFORMED_HUGE_BOX_QUOTED_SHORTLY(List.of("{file}: data.json's 'observation_space' is not a space (malformed Box space description: "),
            (good, target) -> write(target, editedData(good, data -> data.set("observation_space",
                    tree(Map.of("type", "Box", "shape", "four", "dtype", "float32", "low", Collections.nCopies(200_000, 0), "high",
                            Collections.nCopies(200_000, 1)))))));

    /** How a case is made from a good model file. */
    @FunctionalInterface
    interface Builder {
        void write(Path good, Path target) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1L << 30;
    private static final int ZEROS_CHUNK = 1 << 20;
    /** Deflating 1 GiB takes seconds: each zip with such an entry is made once per JVM (they are ~1 MB), by content. */
    private static final Map<String, byte[]> ZIPS_WITH_ZEROS = new ConcurrentHashMap<>();

    private final List<String> expected;
    private final Builder builder;

    HostileModelFile(List<String> expected, Builder builder) {
        this.expected = expected;
        this.builder = builder;
    }

    /** Writes this case as {@code <name>.zip} in {@code dir}, from the good model file {@code good}. */
    public Path write(Path good, Path dir) throws IOException {
        Path target = dir.resolve(name().toLowerCase() + ".zip");
        builder.write(good, target);
        return target;
    }

    /** What the error message of loading {@code file} (this case) must contain, each in full. */
    public List<String> expectedMessageParts(Path file) {
        return expected.stream().map(part -> part.replace("{file}", file.toString())).toList();
    }

    /** A good model file: an untrained PPO2 on CartPole-v1, as {@code good.zip} in {@code dir}. */
    public static Path goodModel(Path dir) throws IOException {
        return new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), PPO2.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(0L))
                .save(dir.resolve("good.zip"));
    }

    /** The good model file with one more entry, {@code junk.bin}: 1 GiB of zeros that no reader uses (a ~1 MB file). */
    public static Path withUnusedHugeEntry(Path good, Path dir) throws IOException {
        return Files.write(dir.resolve("unused-huge-entry.zip"), withZerosEntry(entries(good), "junk.bin"));
    }

    private static Builder withoutKey(String key) {
        return (good, target) -> write(target, editedData(good, data -> data.remove(key)));
    }

    private static byte[] bytes(Object value) throws IOException {
        return JSON.writeValueAsBytes(value);
    }

    private static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static Map<String, byte[]> entries(Path model) throws IOException {
        return ZipFixtures.entries(model);
    }

    private static Map<String, byte[]> editedData(Path good, Consumer<ObjectNode> edit) throws IOException {
        Map<String, byte[]> entries = entries(good);
        ObjectNode data = (ObjectNode) JSON.readTree(entries.get(ModelArchive.DATA_ENTRY));
        edit.accept(data);
        entries.put(ModelArchive.DATA_ENTRY, JSON.writeValueAsBytes(data));
        return entries;
    }

    private static Map<String, byte[]> editedParameter(Path good, String name, int index, float value) throws IOException {
        Map<String, byte[]> entries = entries(good);
        Map<String, NdArray> parameters = new LinkedHashMap<>(Npz.read(new ByteArrayInputStream(entries.get(ModelArchive.PARAMETERS_ENTRY))));
        NdArray array = parameters.get(name);
        float[] values = array.toFloatArray();
        values[index] = value;
        parameters.put(name, NdArray.ofFloats(values, array.shape()));
        entries.put(ModelArchive.PARAMETERS_ENTRY, Npz.encode(parameters));
        return entries;
    }

    private static void write(Path target, Map<String, byte[]> entries) throws IOException {
        Files.write(target, ZipFixtures.zip(entries, true));
    }

    /** A zip of {@code entries} then {@code zerosName}: 1 GiB of zeros, deflated (sizes declared as they are). */
    private static byte[] withZerosEntry(Map<String, byte[]> entries, String zerosName) {
        StringBuilder key = new StringBuilder(zerosName);
        entries.forEach((name, content) -> key.append(' ').append(name).append('#').append(Arrays.hashCode(content)));
        return ZIPS_WITH_ZEROS.computeIfAbsent(key.toString(), ignored -> {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                        zip.putNextEntry(new ZipEntry(entry.getKey()));
                        zip.write(entry.getValue());
                    }
                    zip.putNextEntry(new ZipEntry(zerosName));
                    writeZeros(zip, GIB);
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void writeZeros(OutputStream out, long count) throws IOException {
        byte[] zeros = new byte[ZEROS_CHUNK];
        for (long written = 0; written < count; written += zeros.length) {
            out.write(zeros);
        }
    }
}
