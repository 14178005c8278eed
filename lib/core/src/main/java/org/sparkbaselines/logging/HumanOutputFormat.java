package org.sparkbaselines.logging;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.sparkbaselines.common.PythonFormat;

/**
 * The console table of SB3's {@code HumanOutputFormat}, for the {@code stdout} and {@code log} formats:
 * <pre>
 * ---------------------------------
 * | rollout/           |          |
 * |    ep_len_mean     | 22.4     |
 * | time/              |          |
 * |    fps             | 1234     |
 * ---------------------------------
 * </pre>
 * Keys are sorted and grouped under the prefix before their first {@code '/'}; floats print as
 * Python's {@code f"{value:<8.3g}"}, other values as {@code str(value)}; keys and values longer than
 * {@value #MAX_LENGTH} characters are cut to that length, ending in {@code "..."}.
 */
public final class HumanOutputFormat implements KVWriter, SeqWriter {
    /** The file of the {@code log} format, inside the log folder. */
    public static final String LOG_FILE_NAME = "log.txt";
    /** Longest key or value shown; longer ones are truncated. */
    public static final int MAX_LENGTH = 30;
    private static final String ELLIPSIS = "...";
    private static final String INDENT = "   ";
    /** SB3 left-aligns floats in 8 characters. */
    private static final int FLOAT_WIDTH = 8;
    private static final int FLOAT_PRECISION = 3;

    private final LogFormat format;
    private final Writer out;
    private final boolean ownsOut;
    private final String destination;

    /** A {@link LogFormat#STDOUT} table on {@code stream}, which {@link #close} flushes but leaves open. */
    public HumanOutputFormat(PrintStream stream) {
        this.format = LogFormat.STDOUT;
        this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        this.ownsOut = false;
        this.destination = "stdout";
    }

    /** A {@link LogFormat#LOG} table in {@code file}, created (or emptied) now. */
    public HumanOutputFormat(Path file) {
        this.format = LogFormat.LOG;
        this.destination = file.toString();
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log file " + file, e);
        }
        this.ownsOut = true;
    }

    @Override
    public LogFormat format() {
        return format;
    }

    @Override
    public void write(Map<String, Object> keyValues, long step) {
        Map<RowKey, String> rows = tableRows(keyValues);
        int keyWidth = rows.keySet().stream().mapToInt(row -> row.shownKey().length()).max().orElse(0);
        int valueWidth = rows.values().stream().mapToInt(String::length).max().orElse(0);
        String dashes = "-".repeat(keyWidth + valueWidth + 7);
        StringBuilder table = new StringBuilder(dashes).append('\n');
        rows.forEach((row, value) -> table.append("| ").append(padRight(row.shownKey(), keyWidth))
                .append(" | ").append(padRight(value, valueWidth)).append(" |\n"));
        emit(table.append(dashes).append('\n').toString());
    }

    @Override
    public void writeSequence(List<String> words) {
        emit(String.join(" ", words) + "\n");
    }

    @Override
    public void close() {
        try {
            if (ownsOut) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + destination, e);
        }
    }

    /**
     * A row is identified by its group and shown key, as in SB3: two keys that truncate to the same
     * text within a group are an error rather than a silently lost row.
     */
    private record RowKey(String group, String shownKey) {
    }

    /** Rows in display order: a header row per group ({@code "rollout/"}), then its indented keys. */
    private static Map<RowKey, String> tableRows(Map<String, Object> keyValues) {
        Map<RowKey, String> rows = new LinkedHashMap<>();
        String group = "";
        for (String key : new TreeSet<>(keyValues.keySet())) {
            int slash = key.indexOf('/');
            if (slash > 0) {
                group = key.substring(0, slash + 1);
                rows.put(new RowKey(group, truncate(group)), "");
            }
            String shown = !group.isEmpty() && key.startsWith(group) ? INDENT + key.substring(group.length()) : key;
            RowKey row = new RowKey(group, truncate(shown));
            if (rows.containsKey(row)) {
                throw new IllegalArgumentException("key '" + key + "' is shown as '" + row.shownKey()
                        + "', like another key: shorten the keys to " + MAX_LENGTH + " characters");
            }
            rows.put(row, truncate(valueText(keyValues.get(key))));
        }
        return rows;
    }

    private static String valueText(Object value) {
        return PythonFormat.isFloat(value)
                ? padRight(PythonFormat.generalFormat(((Number) value).doubleValue(), FLOAT_PRECISION), FLOAT_WIDTH)
                : PythonFormat.str(value);
    }

    private static String truncate(String text) {
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - ELLIPSIS.length()) + ELLIPSIS : text;
    }

    private static String padRight(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private void emit(String text) {
        try {
            out.write(text);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + destination, e);
        }
    }
}
