package org.sparkbaselines.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {
    private static final ReadLimits SMALL = new ReadLimits(64 * 1024, 100 * 1024);

    @TempDir
    Path dir;

    @Test
    void readsTheNumpyWrittenExpertDataset() throws IOException {
        Map<String, NdArray> data = Npz.read(ZipFixtures.referenceFile("expert_cartpole_reference_layout.npz"));
        assertEquals(List.of("actions", "obs", "rewards", "episode_returns", "episode_starts"), List.copyOf(data.keySet()));

        NdArray obs = data.get("obs");
        assertEquals(DType.FLOAT32, obs.dtype());
        assertArrayEquals(new int[] {2500, 4}, obs.shape());
        for (float value : obs.toFloatArray()) {
            assertTrue(Float.isFinite(value));
        }
        assertArrayEquals(new float[] {0.013696168549358845f, -0.023021329194307327f, -0.04590264707803726f, -0.04834723472595215f}, obs.row(0).toFloatArray());

        NdArray actions = data.get("actions");
        assertEquals(DType.INT64, actions.dtype());
        assertArrayEquals(new int[] {2500, 1}, actions.shape());
        assertTrue(Arrays.stream(actions.toLongArray()).allMatch(a -> a == 0 || a == 1));

        NdArray rewards = data.get("rewards");
        assertEquals(DType.FLOAT64, rewards.dtype());
        assertArrayEquals(new int[] {2500}, rewards.shape());
        assertEquals(2500.0, Arrays.stream(rewards.toDoubleArray()).sum());

        NdArray returns = data.get("episode_returns");
        assertEquals(NdArray.ofDoubles(new double[] {500, 500, 500, 500, 500}, 5), returns);

        NdArray starts = data.get("episode_starts");
        assertEquals(DType.BOOL, starts.dtype());
        assertArrayEquals(new int[] {2500}, starts.shape());
        boolean[] flags = starts.toBooleanArray();
        assertTrue(flags[0]);
        int count = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                assertEquals(0, i % 500, "episodes start every 500 steps");
                count++;
            }
        }
        assertEquals(5, count);
    }

    @Test
    void roundTripsLosslesslyStoredAndCompressed() throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("model/pi_fc0/w:0", NdArray.ofFloats(new float[] {0.1f, Float.NaN, -0f, 7}, 2, 2));
        arrays.put("steps", NdArray.ofLongs(new long[] {Long.MAX_VALUE}));
        arrays.put("flags", NdArray.ofBooleans(new boolean[] {true, false, true}, 3));
        arrays.put("pixels", NdArray.ofUnsignedBytes(new byte[] {(byte) 255, 0}, 1, 1, 2));
        Path stored = dir.resolve("stored.npz");
        Npz.write(stored, arrays);
        assertEquals(arrays, Npz.read(stored));
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(Npz.read(stored).keySet()), "file order is kept");
        try (var in = Files.newInputStream(stored)) {
            assertEquals(arrays, Npz.read(in));
        }
        Path compressed = dir.resolve("compressed.npz");
        Npz.writeCompressed(compressed, Map.of("zeros", NdArray.ofDoubles(new double[10_000], 100, 100)));
        assertTrue(Files.size(compressed) < 10_000);
        assertEquals(Map.of("zeros", NdArray.ofDoubles(new double[10_000], 100, 100)), Npz.read(compressed));
    }

    @Test
    void failedWritesLeaveNoFileBehind() throws IOException {
        Path file = dir.resolve("data.npz");
        Npz.write(file, Map.of("kept", NdArray.ofInts(new int[] {1}, 1)));
        byte[] before = Files.readAllBytes(file);
        Map<String, NdArray> badSecondName = new LinkedHashMap<>();
        badSecondName.put("fine", NdArray.ofInts(new int[] {2}, 1));
        badSecondName.put("../evil", NdArray.ofInts(new int[] {3}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npz.write(file, badSecondName));
        assertTrue(e.getMessage().contains("escapes the folder"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "the existing file is unchanged");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void truncatedZipIsNamed() throws IOException {
        Path whole = dir.resolve("whole.npz");
        Npz.write(whole, Map.of("a", NdArray.ofFloats(new float[100], 100)));
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = ZipFixtures.file(dir, "truncated.npz", Arrays.copyOf(bytes, bytes.length - 30));
        assertFails(() -> Npz.read(truncated), truncated + " is not a .npz file: not a zip archive, or truncated");
        byte[] cutInside = Arrays.copyOf(bytes, 200);
        assertFails(() -> Npz.read(new ByteArrayInputStream(cutInside)), "the .npz stream is not a .npz file");
    }

    @Test
    void notAZipIsNamed() throws IOException {
        Path text = ZipFixtures.file(dir, "notes.npz", "just text".getBytes());
        assertFails(() -> Npz.read(text), text + " is not a .npz file: not a zip archive");
        Path empty = ZipFixtures.file(dir, "empty.npz", new byte[0]);
        assertFails(() -> Npz.read(empty), "not a zip archive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.npy", "a/../../evil.npy", "/etc/evil.npy", "a\\..\\evil.npy", "C:/evil.npy"})
    void entriesEscapingTheFolderAreRefused(String name) throws IOException {
        Path file = ZipFixtures.file(dir, "slip.npz", ZipFixtures.zip(Map.of(name, Npy.encode(NdArray.ofInts(new int[] {1}))), false));
        assertFails(() -> Npz.read(file), "refused zip entry '" + name + "': it escapes the folder");
    }

    /**
     * "a/b.npy" stays inside the folder and is how numpy stores keys with '/', such as the TensorFlow
     * variable names of model parameters ("model/pi_fc0/w:0"); only empty segments are refused.
     */
    @Test
    void namesWithSlashesAreKeysNotPaths() throws IOException {
        byte[] one = Npy.encode(NdArray.ofInts(new int[] {1}));
        Path nested = ZipFixtures.file(dir, "nested.npz", ZipFixtures.zip(Map.of("a/b.npy", one), false));
        assertEquals(Map.of("a/b", NdArray.ofInts(new int[] {1})), Npz.read(nested));
        Path directory = ZipFixtures.file(dir, "dir.npz", ZipFixtures.zip(Map.of("a//b.npy", one), false));
        assertFails(() -> Npz.read(directory), "refused zip entry 'a//b.npy': it has an empty path segment");
    }

    @Test
    void duplicateAndNonArrayEntriesAreRefused() throws IOException {
        byte[] one = Npy.encode(NdArray.ofInts(new int[] {1}));
        byte[] twoEntries = ZipFixtures.zip(new LinkedHashMap<>(Map.of("a.npy", one, "b.npy", one)), false);
        Path duplicate = ZipFixtures.file(dir, "dup.npz", ZipFixtures.replaceAll(twoEntries, "b.npy", "a.npy"));
        assertFails(() -> Npz.read(duplicate), "refused zip entry 'a.npy': it appears twice");
        Path other = ZipFixtures.file(dir, "other.npz", ZipFixtures.zip(Map.of("readme.txt", one), false));
        assertFails(() -> Npz.read(other), "zip entry 'readme.txt' is not an .npy array");
    }

    @Test
    void badArraysAreNamedWithTheirEntry() throws IOException {
        byte[] fortran = NpyTest.npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]);
        Path file = ZipFixtures.file(dir, "f.npz", ZipFixtures.zip(Map.of("w.npy", fortran), true));
        assertFails(() -> Npz.read(file), "w.npy in " + file + ": fortran_order is True");
    }

    @Test
    void oversizedEntriesFailFast() throws IOException {
        byte[] big = Npy.encode(NdArray.ofDoubles(new double[128 * 1024], 128 * 1024)); // 1 MiB, deflates to ~1 KiB
        byte[] bomb = ZipFixtures.zip(Map.of("big.npy", big), true);
        assertTrue(bomb.length < 4096);
        Path honest = ZipFixtures.file(dir, "honest.npz", bomb);
        assertFails(() -> Npz.read(honest, SMALL), "zip entry 'big.npy' in " + honest + " declares " + big.length + " bytes, over the limit of 65536");

        Path lying = ZipFixtures.file(dir, "lying.npz", ZipFixtures.withDeclaredSize(bomb, 1000));
        // Reading stops one byte past what the header declares, whatever the limits.
        assertFails(() -> Npz.read(lying, SMALL), "zip entry 'big.npy' in " + lying + " holds more than the 1000 bytes it declares");
        assertFails(() -> Npz.read(lying), "zip entry 'big.npy' in " + lying + " holds more than the 1000 bytes it declares");

        byte[] part = Npy.encode(NdArray.ofDoubles(new double[6000], 6000)); // 48 KB each: under the entry limit, not in total
        Path many = ZipFixtures.file(dir, "many.npz", ZipFixtures.zip(new LinkedHashMap<>(Map.of("a.npy", part, "b.npy", part, "c.npy", part)), true));
        assertFails(() -> Npz.read(many, SMALL), "over the limit of");
        assertFails(() -> Npz.read(new ByteArrayInputStream(bomb), new ReadLimits(64, 64)), "the .npz stream is larger than the limit of 64 bytes");
    }

    static void assertFails(Executable read, String expected) {
        MalformedFileException e = assertThrows(MalformedFileException.class, read);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
