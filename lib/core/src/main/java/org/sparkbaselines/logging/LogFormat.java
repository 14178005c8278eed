package org.sparkbaselines.logging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The output formats of the reference's {@code logger.configure}, named as in {@code OPENAI_LOG_FORMAT}. */
public enum LogFormat {
    /** The key-value table on {@code System.out}, plus {@link Logger#log} messages. */
    STDOUT("stdout"),
    /** The same table and messages appended to {@code log.txt}. */
    LOG("log"),
    /** {@code progress.csv}: one row per dump. */
    CSV("csv"),
    /** {@code progress.json}: one JSON object per dump and line. */
    JSON("json"),
    /** A TensorBoard event file ({@code events.out.tfevents.*}) of the numeric values. */
    TENSORBOARD("tensorboard");

    private final String id;

    LogFormat(String id) {
        this.id = id;
    }

    /** The name used in {@code OPENAI_LOG_FORMAT} and in exclusions, e.g. {@code "stdout"}. */
    public String id() {
        return id;
    }

    /** Whether the format writes into the log folder (all but {@link #STDOUT}). */
    public boolean writesFiles() {
        return this != STDOUT;
    }

    /** Opens this format's writer; file formats write into {@code folder}, which must exist. */
    public KVWriter open(Path folder) {
        return switch (this) {
            case STDOUT -> new HumanOutputFormat(System.out);
            case LOG -> new HumanOutputFormat(folder.resolve(HumanOutputFormat.LOG_FILE_NAME));
            case CSV -> new CsvOutputFormat(folder.resolve(CsvOutputFormat.FILE_NAME));
            case JSON -> new JsonOutputFormat(folder.resolve(JsonOutputFormat.FILE_NAME));
            case TENSORBOARD -> new TensorBoardOutputFormat(folder);
        };
    }

    /**
     * The format named {@code name} (surrounding blanks and case ignored).
     *
     * @throws IllegalArgumentException naming the unknown format and the known ones
     */
    public static LogFormat parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (LogFormat format : values()) {
            if (format.id.equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + name + "' (known formats: "
                + Arrays.stream(values()).map(LogFormat::id).collect(Collectors.joining(", ")) + ")");
    }

    /** Parses several names in order, skipping blank ones and repeats. */
    public static List<LogFormat> parseAll(Collection<String> names) {
        Set<LogFormat> formats = new LinkedHashSet<>();
        for (String name : names) {
            if (!name.isBlank()) {
                formats.add(parse(name));
            }
        }
        return new ArrayList<>(formats);
    }

    /** Parses a comma-separated list such as {@code "stdout,log,csv"} (the {@code OPENAI_LOG_FORMAT} syntax). */
    public static List<LogFormat> parseList(String commaSeparated) {
        return parseAll(Arrays.asList(commaSeparated.split(",")));
    }
}
