package org.sparkbaselines.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path dir;

    static Stream<NdArray> arrays() {
        return Stream.of(
                NdArray.ofFloats(new float[] {1.5f, -0f, Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE, 3}, 2, 3),
                NdArray.ofDoubles(new double[] {Math.PI, -1e300, Double.NEGATIVE_INFINITY}, 3),
                NdArray.ofInts(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2),
                NdArray.ofLongs(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, 5, 6, 7, 8, 9}, 2, 2, 2),
                NdArray.ofBooleans(new boolean[] {true, false, true}, 3),
                NdArray.ofUnsignedBytes(new byte[] {0, 127, (byte) 128, (byte) 255}, 4),
                NdArray.ofDoubles(new double[] {42}),
                NdArray.ofFloats(new float[0], 0, 5));
    }

    @ParameterizedTest
    @MethodSource("arrays")
    void roundTripsEveryDtypeAndShape(NdArray array) throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, array);
        assertEquals(array, Npy.read(file));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, array);
        assertEquals(array, Npy.read(new ByteArrayInputStream(out.toByteArray()), "stream"));
        assertEquals(0, (Files.readAllBytes(file).length - array.size() * array.dtype().itemSize()) % 64, "data is 64-byte aligned");
    }

    @Test
    void readsBigEndianAndVersion2And3Headers() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.25).putDouble(-2);
        NdArray bigEndian = Npy.decode(npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", data.array()), "big");
        assertArrayEquals(new double[] {1.25, -2}, bigEndian.toDoubleArray());

        byte[] ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(-8).array();
        String header = "{\"descr\": \"<i4\",\n 'shape': (1, 2L), 'fortran_order': False}";
        assertEquals(NdArray.ofInts(new int[] {7, -8}, 1, 2), Npy.decode(npy(2, header, ints), "v2"));
        assertEquals(NdArray.ofInts(new int[] {7, -8}, 1, 2), Npy.decode(npy(3, header, ints), "v3"));
    }

    @Test
    void writesNumpysExactBytes() throws IOException {
        Path reference = ZipFixtures.referenceFile("expert_cartpole_reference_layout.npz");
        for (var entry : ZipFixtures.entries(reference).entrySet()) {
            NdArray array = Npy.decode(entry.getValue(), entry.getKey());
            assertArrayEquals(entry.getValue(), Npy.encode(array), entry.getKey());
        }
    }

    @Test
    void badMagicIsNamed() {
        byte[] bytes = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4]);
        bytes[1] = 'X';
        assertProblem(bytes, "magic");
        assertProblem("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), "magic");
    }

    @Test
    void fortranOrderIsRefused() {
        assertProblem(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]), "fortran_order is True");
    }

    @Test
    void dataShorterOrLongerThanTheShapeIsRefused() {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }";
        assertProblem(npy(1, header, new byte[47]), "the data holds 47 bytes but shape (3, 2) of float64 needs 48 (truncated)");
        assertProblem(npy(1, header, new byte[49]), "(trailing bytes)");
        byte[] full = npy(1, header, new byte[48]);
        assertProblem(Arrays.copyOf(full, 20), "truncated: the header claims");
        assertProblem(Arrays.copyOf(full, 9), "truncated in the .npy header");
    }

    @Test
    void absurdSizesFailBeforeAllocating() {
        assertProblem(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[8]),
                "more elements than the limit");
        // 2^30 doubles would be 8 GiB: refused because the bytes are not there, without allocating them.
        assertProblem(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824,), }", new byte[8]),
                "needs 8589934592 (truncated)");
        assertProblem(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }", new byte[8]), "a dimension below 0");
        assertProblem(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", new byte[8]),
                "out of range");
        byte[] hugeHeader = npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
        assertProblem(hugeHeader, "over the limit of 10000");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "__import__('os').system('true')",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
        "{'descr': '<f4', 'shape': (2,)}",
        "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
        "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (2,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",
        "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}",
    })
    void headersThatAreNotTheExpectedDictAreRefused(String header) {
        assertProblem(npy(1, header, new byte[8]), "invalid .npy header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"|O", "<U8", "<f2", "<u4", "|f4", "=f4", "f4"})
    void unsupportedDtypesAreNamed(String descr) {
        assertProblem(npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "unsupported dtype descr '" + descr + "'");
    }

    @Test
    void unsupportedVersionsAreNamed() {
        byte[] bytes = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4]);
        bytes[6] = 4;
        assertProblem(bytes, "unsupported .npy format version 4.0");
    }

    /** {@code .npy} bytes with a hand-written header (padded with spaces and a newline, like numpy). */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] text = (header + "    \n").getBytes(StandardCharsets.UTF_8);
        int lengthField = major == 1 ? 2 : 4;
        ByteBuffer buffer = ByteBuffer.allocate(8 + lengthField + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            buffer.putShort((short) text.length);
        } else {
            buffer.putInt(text.length);
        }
        return buffer.put(text).put(data).array();
    }

    /** Decoding {@code bytes} fails with a message naming the array and containing {@code problem}. */
    static void assertProblem(byte[] bytes, String problem) {
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npy.decode(bytes, "x.npy in test.npz"));
        assertTrue(e.getMessage().startsWith("x.npy in test.npz: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    }
}
