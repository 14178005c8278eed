package org.sparkbaselines.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * SB3's {@code JSONOutputFormat}: {@code progress.json} with one JSON object per dump and line, keys in
 * recording order. Unlike Python's {@code json.dumps}, NaN and infinities are written as the strings
 * {@code "NaN"} and {@code "Infinity"}, so every line stays standard JSON.
 */
public final class JsonOutputFormat implements KVWriter {
    /** The file of the {@code json} format, inside the log folder. */
    public static final String FILE_NAME = "progress.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Writer out;

    /** Creates (or empties) {@code file}. */
    public JsonOutputFormat(Path file) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    @Override
    public LogFormat format() {
        return LogFormat.JSON;
    }

    @Override
    public void write(Map<String, Object> keyValues, long step) {
        try {
            out.write(MAPPER.writeValueAsString(keyValues) + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
