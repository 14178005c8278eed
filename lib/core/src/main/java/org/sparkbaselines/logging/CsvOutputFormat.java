package org.sparkbaselines.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.sparkbaselines.common.PythonFormat;

/**
 * SB3's {@code CSVOutputFormat}: {@code progress.csv} with a header of every key seen so far and one
 * row per dump (empty cells for keys not recorded in that dump). When a dump brings a new key, the file
 * is rewritten with the longer header and the earlier rows padded with empty cells, so it always stays
 * one valid table. Strings are quoted ({@code "} doubled), floats written as Python's {@code str}.
 */
public final class CsvOutputFormat implements KVWriter {
    /** The file of the {@code csv} format, inside the log folder. */
    public static final String FILE_NAME = "progress.csv";
    private static final char SEPARATOR = ',';
    private static final char QUOTE = '"';

    private final Path file;
    /** Column order: keys in the order they first appeared. */
    private final Set<String> columns = new LinkedHashSet<>();
    private Writer out;

    /** Creates (or empties) {@code file}; the header is written with the first dump. */
    public CsvOutputFormat(Path file) {
        this.file = file;
        this.out = open(StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public LogFormat format() {
        return LogFormat.CSV;
    }

    @Override
    public void write(Map<String, Object> keyValues, long step) {
        List<String> newColumns = keyValues.keySet().stream().filter(key -> !columns.contains(key)).toList();
        if (!newColumns.isEmpty()) {
            columns.addAll(newColumns);
            rewriteWithHeader(newColumns.size());
        }
        String row = columns.stream().map(key -> cell(keyValues.get(key)))
                .collect(Collectors.joining(String.valueOf(SEPARATOR)));
        try {
            out.write(row + "\n");
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

    /** Replaces the header with the current columns and pads every earlier row with {@code addedColumns} empty cells. */
    private void rewriteWithHeader(int addedColumns) {
        close();
        try {
            List<String> records = splitRecords(Files.readString(file, StandardCharsets.UTF_8));
            StringBuilder text = new StringBuilder(String.join(String.valueOf(SEPARATOR), columns)).append('\n');
            String padding = String.valueOf(SEPARATOR).repeat(addedColumns);
            for (String row : records.subList(Math.min(1, records.size()), records.size())) {
                text.append(row).append(padding).append('\n');
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + " with new columns", e);
        }
        out = open(StandardOpenOption.APPEND);
    }

    private Writer open(StandardOpenOption mode) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /** The file's records: lines, except that a line break inside a quoted string does not end one. */
    private static List<String> splitRecords(String text) {
        List<String> records = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == QUOTE) {
                quoted = !quoted; // an escaped "" toggles twice, leaving the state unchanged
            } else if (c == '\n' && !quoted) {
                records.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return records;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            String escaped = text.replace(String.valueOf(QUOTE), String.valueOf(QUOTE).repeat(2));
            return QUOTE + escaped + QUOTE;
        }
        return PythonFormat.str(value);
    }
}
