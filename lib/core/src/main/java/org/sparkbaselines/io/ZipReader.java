package org.sparkbaselines.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the entries of an untrusted zip archive into memory. Refuses what a hostile or broken file
 * could hold: a truncated archive, entry names escaping the folder, duplicate names, and entries
 * larger than the {@link ReadLimits} (checked against the declared size first, then while inflating,
 * so a zip bomb fails fast).
 */
final class ZipReader {
    private ZipReader() {
    }

    /**
     * The entries of the zip file, by name in archive order.
     *
     * @param kind what the file should be, for errors: {@code "model file"}, {@code ".npz file"}
     */
    static LinkedHashMap<String, byte[]> readEntries(Path file, String kind, ReadLimits limits) throws IOException {
        return readEntries(file, file.toString(), kind, limits);
    }

    /**
     * The entries of the zip archive in {@code in} (at most {@code limits.maxTotalBytes()} long), by name
     * in archive order; {@code source} names the archive in errors.
     */
    static LinkedHashMap<String, byte[]> readEntries(InputStream in, String source, String kind, ReadLimits limits) throws IOException {
        // java.util.zip only checks an archive's structure (the central directory) when reading from a file.
        Path temp = Files.createTempFile("sparkbaselines-", ".zip");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                BoundedStreams.copy(in, out, limits.maxTotalBytes(), source);
            }
            return readEntries(temp, source, kind, limits);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Why {@code name} is refused as an entry name, or null when it is fine. Names may contain '/'
     * (numpy keys such as TensorFlow's {@code model/pi_fc0/w:0} do) but nothing that could resolve
     * outside the folder the archive would be extracted to.
     */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.startsWith("/") || name.matches("[A-Za-z]:/.*")) {
            return "it escapes the folder (absolute path)";
        }
        if (name.indexOf('\\') >= 0) {
            return "it escapes the folder (backslash path separator)";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return "it escapes the folder ('..' segment)";
            }
            if (segment.isEmpty()) {
                return "it has an empty path segment";
            }
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "it contains a control character";
        }
        return null;
    }

    private static LinkedHashMap<String, byte[]> readEntries(Path file, String source, String kind, ReadLimits limits) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new MalformedFileException(source + " is not a " + kind + ": not a zip archive, or truncated (" + e.getMessage() + ")", e);
        }
        try (zip) {
            LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
            long total = 0;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                String problem = nameProblem(name);
                if (problem != null) {
                    throw new MalformedFileException(source + ": refused zip entry '" + name + "': " + problem);
                }
                if (entries.containsKey(name)) {
                    throw new MalformedFileException(source + ": refused zip entry '" + name + "': it appears twice");
                }
                String what = "zip entry '" + name + "' in " + source;
                long limit = Math.min(limits.maxEntryBytes(), limits.maxTotalBytes() - total);
                if (entry.getSize() > limit) {
                    throw new MalformedFileException(what + " declares " + entry.getSize() + " bytes, over the limit of " + limit
                            + " (" + limits + ")");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = BoundedStreams.readAll(in, limit, what);
                } catch (ZipException | EOFException e) {
                    throw new MalformedFileException(what + " is corrupt or truncated (" + e.getMessage() + ")", e);
                }
                if (entry.getSize() >= 0 && bytes.length != entry.getSize()) {
                    throw new MalformedFileException(what + " holds " + bytes.length + " bytes but declares " + entry.getSize());
                }
                total += bytes.length;
                entries.put(name, bytes);
            }
            return entries;
        }
    }
}
