package org.sparkbaselines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.io.NpzTest.assertFails;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ModelArchive archive() {
        ObjectNode data = JSON.createObjectNode();
        data.put("algorithm", "PPO2");
        data.put("library_version", Version.LIBRARY);
        data.put("num_timesteps", 2048);
        data.put("seed", 7);
        data.putObject("hyperparameters").put("gamma", 0.99).put("n_steps", 128);
        data.putObject("observation_space").put("type", "Box").putArray("shape").add(4);
        LinkedHashMap<String, NdArray> parameters = new LinkedHashMap<>();
        parameters.put("model/pi_fc0/w:0", NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2));
        parameters.put("model/pi_fc0/b:0", NdArray.ofFloats(new float[] {0.5f, -0.5f}, 2));
        parameters.put("model/vf/w:0", NdArray.ofFloats(new float[] {9, 8}, 2, 1));
        Map<String, NdArray> optimizer = Map.of("adam/m", NdArray.ofFloats(new float[] {0.1f, 0.2f}, 2),
                "adam/step", NdArray.ofLongs(new long[] {16}));
        ObjectNode vecNormalize = JSON.createObjectNode().put("clip_obs", 10.0);
        return new ModelArchive(data, parameters, optimizer, vecNormalize);
    }

    @Test
    void roundTripsAndAddsZipWhenThereIsNoExtension() throws IOException {
        ModelArchive original = archive();
        Path saved = original.save(dir.resolve("models/ppo2_cartpole"));
        assertEquals(dir.resolve("models/ppo2_cartpole.zip"), saved);
        ModelArchive loaded = ModelArchive.load(saved);
        assertEquals(original, loaded);
        assertEquals(List.copyOf(original.parameters().keySet()), List.copyOf(loaded.parameters().keySet()));
        assertEquals(original.parameters(), ModelArchive.loadParameters(saved));

        ModelArchive bare = new ModelArchive(original.data(), original.parameters(), null, null);
        Path withExtension = bare.save(dir.resolve("bare.model"));
        assertEquals(dir.resolve("bare.model"), withExtension);
        ModelArchive bareLoaded = ModelArchive.load(withExtension);
        assertTrue(bareLoaded.optimizerState().isEmpty());
        assertNull(bareLoaded.vecNormalize());
        assertEquals(List.of(ModelArchive.DATA_ENTRY, ModelArchive.PARAMETERS_ENTRY, ModelArchive.PARAMETER_LIST_ENTRY),
                List.copyOf(ZipFixtures.entries(withExtension).keySet()));
        assertEquals(dir.resolve(".hidden.zip"), ModelArchive.withZipExtension(dir.resolve(".hidden")));
        assertEquals(dir.resolve("dotted."), ModelArchive.withZipExtension(dir.resolve("dotted.")));
    }

    @Test
    void archivesAreImmutable() {
        ModelArchive archive = archive();
        archive.data().put("algorithm", "changed");
        archive.vecNormalize().put("clip_obs", 0.0);
        assertEquals("PPO2", archive.data().get("algorithm").asText());
        assertEquals(10.0, archive.vecNormalize().get("clip_obs").asDouble());
    }

    @Test
    void loadParametersAcceptsABareNpz() throws IOException {
        Path npz = dir.resolve("parameters.npz");
        Npz.write(npz, archive().parameters());
        assertEquals(archive().parameters(), ModelArchive.loadParameters(npz));
    }

    @Test
    void truncatedFileIsNotAModelFile() throws IOException {
        byte[] bytes = Files.readAllBytes(archive().save(dir.resolve("m.zip")));
        Path truncated = ZipFixtures.file(dir, "truncated.zip", Arrays.copyOf(bytes, bytes.length / 2));
        assertFails(() -> ModelArchive.load(truncated), truncated + " is not a model file: not a zip archive, or truncated");
    }

    @Test
    void notAZipIsNotAModelFile() throws IOException {
        Path text = ZipFixtures.file(dir, "model.zip", "{\"algorithm\": \"PPO2\"}".getBytes(StandardCharsets.UTF_8));
        assertFails(() -> ModelArchive.load(text), text + " is not a model file: not a zip archive");
    }

    @Test
    void missingDataJsonIsNamed() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        entries.remove(ModelArchive.DATA_ENTRY);
        Path file = write("no-data.zip", entries);
        assertFails(() -> ModelArchive.load(file), file + " is not a model file: it has no data.json entry");
    }

    @Test
    void missingParametersNpzIsNamed() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        entries.remove(ModelArchive.PARAMETERS_ENTRY);
        Path file = write("no-parameters.zip", entries);
        assertFails(() -> ModelArchive.load(file), file + " is not a model file: it has no parameters.npz entry");
    }

    @Test
    void parameterListMustMatchTheArrays() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        entries.put(ModelArchive.PARAMETER_LIST_ENTRY, "[\"model/pi_fc0/w:0\", \"model/pi_fc0/b:0\", \"model/missing:0\"]".getBytes());
        Path file = write("mismatch.zip", entries);
        assertFails(() -> ModelArchive.load(file), "parameter_list.json does not match parameters.npz; arrays missing from "
                + "parameters.npz: [model/missing:0]; arrays not in parameter_list.json: [model/vf/w:0]");
        assertFails(() -> ModelArchive.loadParameters(file), "arrays missing from parameters.npz: [model/missing:0]");

        entries.put(ModelArchive.PARAMETER_LIST_ENTRY, "{\"a\": 1}".getBytes());
        Path notAList = write("not-a-list.zip", entries);
        assertFails(() -> ModelArchive.load(notAList), "parameter_list.json must be a JSON array of distinct names");

        entries.put(ModelArchive.DATA_ENTRY, "[1, 2".getBytes());
        Path badData = write("bad-data.zip", entries);
        assertFails(() -> ModelArchive.load(badData), "data.json is not valid JSON");
    }

    @Test
    void entriesEscapingTheFolderAreRefused() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        entries.put("../evil.npy", new byte[] {1});
        Path file = write("slip.zip", entries);
        assertFails(() -> ModelArchive.load(file), "refused zip entry '../evil.npy': it escapes the folder");
    }

    @Test
    void badArraysInsideTheNestedNpzAreNamed() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        byte[] shortData = NpyTest.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", new byte[12]);
        entries.put(ModelArchive.PARAMETERS_ENTRY, ZipFixtures.zip(Map.of("model/pi_fc0/w:0.npy", shortData), false));
        Path file = write("short.zip", entries);
        assertFails(() -> ModelArchive.load(file), "model/pi_fc0/w:0.npy in parameters.npz in " + file
                + ": the data holds 12 bytes but shape (4, 2) of float32 needs 32 (truncated)");
    }

    @Test
    void oversizedEntriesFailFast() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        entries.put(ModelArchive.DATA_ENTRY, ("{\"padding\": \"" + " ".repeat(200_000) + "\"}").getBytes());
        Path file = write("big.zip", entries);
        assertTrue(Files.size(file) < 10_000, "compresses well: a small file claiming a large entry");
        assertFails(() -> ModelArchive.load(file, new ReadLimits(64 * 1024, 1 << 20)),
                "zip entry 'data.json' in " + file + " declares 200015 bytes, over the limit of 65536");
    }

    @Test
    void entriesAreReadOnlyWhenAskedFor() throws Throwable {
        Path bomb = HostileModelFile.PARAMETERS_NPZ_BOMB_LYING_ABOUT_ITS_SIZE.write(archive().save(dir.resolve("good.zip")), dir);
        try (ModelArchive.Reader file = ModelArchive.open(bomb)) {
            assertEquals("PPO2", HeapBudget.assertWithin("data.json beside a bomb", file::data).get("algorithm").asText());
            MalformedFileException e = HeapBudget.assertWithin("the bomb", () -> assertThrows(MalformedFileException.class,
                    () -> file.parameters(null)));
            assertTrue(e.getMessage().contains("zip entry 'parameters.npz' in " + bomb + " holds more than the "), e.getMessage());
        }
    }

    @Test
    void anEntryHoldingLessThanItDeclaresIsRefused() throws IOException {
        Map<String, byte[]> entries = entries(archive());
        byte[] list = entries.remove(ModelArchive.PARAMETER_LIST_ENTRY);
        entries.put(ModelArchive.PARAMETER_LIST_ENTRY, list); // last, where withDeclaredSize edits the header
        Path file = ZipFixtures.file(dir, "short.zip", ZipFixtures.withDeclaredSize(ZipFixtures.zip(entries, false), list.length + 10));
        assertFails(() -> ModelArchive.load(file), "zip entry 'parameter_list.json' in " + file + " holds " + list.length
                + " bytes but declares " + (list.length + 10));
    }

    @Test
    void parametersAreCheckedAgainstTheExpectedShapesBeforeTheyAreRead() throws IOException {
        Path file = archive().save(dir.resolve("m.zip"));
        Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put("model/pi_fc0/w:0", new int[] {4, 2});
        expected.put("model/pi_fc0/b:0", new int[] {2});
        expected.put("model/vf/w:0", new int[] {2, 1});
        assertEquals(archive().parameters(), parameters(file, expected));

        String from = "data.json's policy, spaces and policy_kwargs";
        expected.put("model/vf/w:0", new int[] {3, 1});
        assertFails(() -> parameters(file, expected), "parameters.npz in " + file + ": array 'model/vf/w:0' has shape (2, 1) but " + from
                + " give (3, 1)");
        expected.put("model/vf/w:0", new int[] {2, 1});
        expected.put("model/vf/b:0", new int[] {1});
        assertFails(() -> parameters(file, expected), "parameters.npz in " + file + " lacks arrays " + from + " give: [model/vf/b:0]");
        expected.remove("model/vf/b:0");
        expected.remove("model/pi_fc0/b:0");
        assertFails(() -> parameters(file, expected), "parameters.npz in " + file + ": array 'model/pi_fc0/b:0' is not one of the 2 arrays "
                + from + " give: [model/pi_fc0/w:0, model/vf/w:0]");
        assertFails(() -> parameters(file, Map.of("model/huge:0", new int[] {1 << 16, 1 << 16})), file + ": " + from + " give 4294967296 "
                + "parameters, more than parameters.npz may hold (268435456 float32 values within " + ReadLimits.DEFAULT + ")");
    }

    @Test
    void optimizerStateLargerThanTheParametersAllowIsRefusedBeforeItIsRead() throws IOException {
        ModelArchive good = archive();
        Map<String, NdArray> optimizer = Map.of("adam/m", NdArray.ofFloats(new float[1 << 20], 1 << 20));
        Path file = new ModelArchive(good.data(), good.parameters(), optimizer, null).save(dir.resolve("big-optimizer.zip"));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        good.parameters().forEach((name, array) -> shapes.put(name, array.shape()));
        try (ModelArchive.Reader reader = ModelArchive.open(file)) {
            assertFails(() -> reader.optimizerState(shapes), "zip entry 'optimizer.npz' in " + file + " declares");
            assertFails(() -> reader.optimizerState(shapes), "(the most optimizer state for the parameters data.json's policy, spaces and policy_kwargs give takes)");
        }
    }

    private static Map<String, NdArray> parameters(Path file, Map<String, int[]> expectedShapes) throws IOException {
        try (ModelArchive.Reader reader = ModelArchive.open(file)) {
            return reader.parameters(expectedShapes);
        }
    }

    /** The entries {@code archive} saves as, to tamper with. */
    private Map<String, byte[]> entries(ModelArchive archive) throws IOException {
        Path saved = archive.save(dir.resolve("source.zip"));
        return ZipFixtures.entries(saved);
    }

    private Path write(String name, Map<String, byte[]> entries) throws IOException {
        return ZipFixtures.file(dir, name, ZipFixtures.zip(entries, true));
    }
}
