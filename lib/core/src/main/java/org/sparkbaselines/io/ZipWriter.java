package org.sparkbaselines.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes zip archives entry by entry, stored (as numpy's {@code savez}) or deflated. */
final class ZipWriter implements Closeable {
    /** A fixed timestamp (the zip epoch) makes equal content give equal bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final ZipOutputStream zip;
    private final boolean compress;

    /** Writes to {@code out}, which {@link #close()} closes. */
    ZipWriter(OutputStream out, boolean compress) {
        this.zip = new ZipOutputStream(out);
        this.compress = compress;
    }

    /**
     * Adds an entry.
     *
     * @throws IllegalArgumentException when the name would be refused on reading (see {@link ZipReader#nameProblem})
     */
    void add(String name, byte[] content) throws IOException {
        String problem = ZipReader.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("zip entry name '" + name + "' is refused: " + problem);
        }
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        if (!compress) {
            // Stored entries must declare their size and checksum up front.
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            entry.setCompressedSize(content.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
