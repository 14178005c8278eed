package org.sparkbaselines.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An untrusted zip archive, open for reading its entries on demand. Opening checks only the central
 * directory (a truncated archive, entry names escaping the folder, duplicate names); an entry's data is
 * read when asked for, within a limit the caller sets from what the entry is, on top of the
 * {@link ReadLimits}. A size over the limit is refused from the header before anything is read, and an
 * entry holding more or fewer bytes than its header declares fails as soon as that shows, so a zip
 * bomb or a lying header costs no more memory than the limit. Entries never asked for cost nothing.
 */
final class ZipReader implements Closeable {
    private final ZipFile zip;
    private final String source;
    private final ReadLimits limits;
    /** The entries by name, in archive order. */
    private final Map<String, ZipEntry> entries;
    /** A temporary copy this reader reads from and deletes on close, or null. */
    private final Path ownedCopy;
    private long bytesRead;

    private ZipReader(ZipFile zip, String source, ReadLimits limits, Map<String, ZipEntry> entries, Path ownedCopy) {
        this.zip = zip;
        this.source = source;
        this.limits = limits;
        this.entries = entries;
        this.ownedCopy = ownedCopy;
    }

    /**
     * Opens the zip file and checks its entry names.
     *
     * @param kind what the file should be, for errors: {@code "model file"}, {@code ".npz file"}
     */
    static ZipReader open(Path file, String kind, ReadLimits limits) throws IOException {
        return open(file, file.toString(), kind, limits, null);
    }

    /**
     * Opens the zip archive in {@code in} (at most {@code limits.maxTotalBytes()} long), copied to a
     * temporary file that closing deletes; {@code source} names the archive in errors.
     */
    static ZipReader open(InputStream in, String source, String kind, ReadLimits limits) throws IOException {
        // java.util.zip only checks an archive's structure (the central directory) when reading from a file.
        Path copy = Files.createTempFile("sparkbaselines-", ".zip");
        try {
            try (OutputStream out = Files.newOutputStream(copy)) {
                BoundedStreams.copy(in, out, limits.maxTotalBytes(), source);
            }
            return open(copy, source, kind, limits, copy);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    /**
     * Opens entry {@code name}, itself a zip archive (an {@code .npz} inside a model file), streaming it to
     * a temporary file rather than into memory; {@code limit} and {@code why} as for {@link #read}.
     */
    ZipReader openNested(String name, long limit, String why, String kind) throws IOException {
        Path copy = Files.createTempFile("sparkbaselines-", ".zip");
        try {
            try (OutputStream out = Files.newOutputStream(copy)) {
                transfer(name, limit, why, out);
            }
            return open(copy, name + " in " + source, kind, limits, copy);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    /** The entry names, in archive order. */
    Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Names this archive in errors, e.g. {@code "model.zip"} or {@code "parameters.npz in model.zip"}. */
    String source() {
        return source;
    }

    /**
     * The bytes of entry {@code name}.
     *
     * @param limit the most this entry may hold, from what it is (the {@link ReadLimits} apply as well)
     * @param why where {@code limit} comes from, for the error, e.g. {@code "the limit for data.json"}
     * @throws MalformedFileException when the header declares more than the limit, the data holds more or
     *     fewer bytes than declared, or the entry is corrupt
     */
    byte[] read(String name, long limit, String why) throws IOException {
        ZipEntry entry = entry(name);
        int declared = (int) checkedDeclaredSize(entry, limit, why);
        try (InputStream in = zip.getInputStream(entry)) {
            // Grows with the bytes actually inflated, so a header claiming more than the data holds costs nothing.
            byte[] bytes = in.readNBytes(declared);
            checkEnd(in, entry, bytes.length);
            bytesRead += declared;
            return bytes;
        } catch (ZipException | EOFException e) {
            throw corrupt(entry, e);
        }
    }

    /** Streams entry {@code name} to {@code out}, with the checks of {@link #read}. */
    private void transfer(String name, long limit, String why, OutputStream out) throws IOException {
        ZipEntry entry = entry(name);
        long declared = checkedDeclaredSize(entry, limit, why);
        try (InputStream in = zip.getInputStream(entry)) {
            long copied = BoundedStreams.copyAtMost(in, out, declared);
            checkEnd(in, entry, copied);
            bytesRead += declared;
        } catch (ZipException | EOFException e) {
            throw corrupt(entry, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            zip.close();
        } finally {
            if (ownedCopy != null) {
                Files.deleteIfExists(ownedCopy);
            }
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

    private static ZipReader open(Path file, String source, String kind, ReadLimits limits, Path ownedCopy) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new MalformedFileException(source + " is not a " + kind + ": not a zip archive, or truncated (" + e.getMessage() + ")", e);
        }
        try {
            Map<String, ZipEntry> entries = new LinkedHashMap<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                String problem = nameProblem(name);
                if (problem != null) {
                    throw new MalformedFileException(source + ": refused zip entry '" + name + "': " + problem);
                }
                if (entries.put(name, entry) != null) {
                    throw new MalformedFileException(source + ": refused zip entry '" + name + "': it appears twice");
                }
            }
            return new ZipReader(zip, source, limits, entries, ownedCopy);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private ZipEntry entry(String name) {
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(source + " has no zip entry '" + name + "'");
        }
        return entry;
    }

    /** The size the entry's header declares, refused when over {@code limit}, the entry limit or what is left of the total. */
    private long checkedDeclaredSize(ZipEntry entry, long limit, String why) throws MalformedFileException {
        long left = limits.maxTotalBytes() - bytesRead;
        long bound = Math.min(limit, Math.min(limits.maxEntryBytes(), left));
        String reason = bound == limit ? why : bound == left ? "what is left of the total limit (" + limits + ")" : "the entry limit (" + limits + ")";
        long declared = entry.getSize();
        if (declared < 0 || declared > bound) {
            throw new MalformedFileException(what(entry) + " declares " + declared + " bytes, over the limit of " + bound + " (" + reason + ")");
        }
        return declared;
    }

    /** Fails when the entry held fewer bytes than it declares, or has more after them. */
    private void checkEnd(InputStream in, ZipEntry entry, long read) throws IOException {
        if (read != entry.getSize()) {
            throw new MalformedFileException(what(entry) + " holds " + read + " bytes but declares " + entry.getSize());
        }
        if (in.read() >= 0) {
            throw new MalformedFileException(what(entry) + " holds more than the " + entry.getSize() + " bytes it declares");
        }
    }

    private MalformedFileException corrupt(ZipEntry entry, IOException e) {
        return new MalformedFileException(what(entry) + " is corrupt or truncated (" + e.getMessage() + ")", e);
    }

    private String what(ZipEntry entry) {
        return "zip entry '" + entry.getName() + "' in " + source;
    }
}
