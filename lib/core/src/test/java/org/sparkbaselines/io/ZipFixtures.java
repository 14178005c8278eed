package org.sparkbaselines.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.sparkbaselines.SharedReference;

/** Hand-made zips for the malformed-file tests, and the shared reference files. */
public final class ZipFixtures {
    private static final int CENTRAL_HEADER_SIGNATURE = 0x02014b50;
    private static final int CENTRAL_HEADER_SIZE_OFFSET = 24;

    private ZipFixtures() {
    }

    /** A zip of raw entries (names unchecked, unlike our writer), stored or deflated. */
    public static byte[] zip(Map<String, byte[]> entries, boolean deflate) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** All entries of a zip file by name, in archive order, read as our reader reads them (within {@link ReadLimits#DEFAULT}). */
    public static LinkedHashMap<String, byte[]> entries(Path file) throws IOException {
        try (ZipReader zip = ZipReader.open(file, "zip file", ReadLimits.DEFAULT)) {
            LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
            for (String name : zip.names()) {
                entries.put(name, zip.read(name, Long.MAX_VALUE, "the entry limit"));
            }
            return entries;
        }
    }

    /** Writes {@code bytes} to {@code name} in {@code dir}. */
    static Path file(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length), e.g. to rename entries in place. */
    static byte[] replaceAll(byte[] zip, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        assertTrue(a.length == b.length, "same-length replacement");
        byte[] out = zip.clone();
        int replaced = 0;
        for (int i = 0; i + a.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, out, i, b.length);
                replaced++;
            }
        }
        assertTrue(replaced > 0, "'" + from + "' not found");
        return out;
    }

    /** Makes the central directory of a one-entry zip declare {@code size} uncompressed bytes (a lying header). */
    public static byte[] withDeclaredSize(byte[] zip, int size) {
        ByteBuffer buffer = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = zip.length - 4; i >= 0; i--) {
            if (buffer.getInt(i) == CENTRAL_HEADER_SIGNATURE) {
                buffer.putInt(i + CENTRAL_HEADER_SIZE_OFFSET, size);
                return buffer.array();
            }
        }
        return fail("no central directory header");
    }

    /** A file under {@code shared/reference}. */
    static Path referenceFile(String name) {
        return SharedReference.path(name);
    }
}
