package org.sparkbaselines.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training metrics and messages, as SB3's {@code stable_baselines3.common.logger.Logger}: values are
 * {@linkplain #record recorded} (or {@linkplain #recordMean averaged}) under keys such as
 * {@code rollout/ep_rew_mean}, then {@link #dump} writes them to every output format and forgets them.
 * {@link #log} sends free-form messages to the console and {@code log.txt}.
 * <p>
 * Build one with {@link #configure} (the reference's {@code logger.configure}, driven by
 * {@code OPENAI_LOGDIR} / {@code OPENAI_LOG_FORMAT}) or {@link #forTraining} (what an algorithm's
 * {@code learn} uses), or from writers directly. Not thread-safe: one training loop owns it.
 */
public final class Logger implements AutoCloseable {
    /** Environment variable naming the log folder of {@link #configure}. */
    public static final String LOG_DIR_ENV = "OPENAI_LOGDIR";
    /** Environment variable listing the formats, comma-separated, e.g. {@code stdout,log,csv,tensorboard}. */
    public static final String LOG_FORMAT_ENV = "OPENAI_LOG_FORMAT";
    /** The formats of {@link #configure} when neither the caller nor {@code OPENAI_LOG_FORMAT} names any. */
    public static final List<String> DEFAULT_FORMATS = List.of("stdout", "log", "csv");

    private static final DateTimeFormatter TEMP_DIR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss-SSSSSS");

    private final Path folder;
    private final List<KVWriter> outputs;
    private final Map<String, Object> nameToValue = new LinkedHashMap<>();
    private final Map<String, Integer> nameToCount = new HashMap<>();
    private final Map<String, Set<LogFormat>> nameToExcluded = new HashMap<>();
    private LogLevel level = LogLevel.INFO;

    /**
     * A logger writing to {@code outputs}; the logger owns them and closes them in {@link #close}.
     * {@code new Logger(null, List.of())} records and forgets without writing anything.
     *
     * @param folder where the file formats write (reported by {@link #getDir}), or null
     */
    public Logger(Path folder, List<? extends KVWriter> outputs) {
        this.folder = folder;
        this.outputs = List.copyOf(outputs);
    }

    /**
     * The reference's {@code logger.configure(folder, format_strs)}, reading the real environment.
     *
     * @see #configure(String, List, Map)
     */
    public static Logger configure(String folder, List<String> formats) {
        return configure(folder, formats, System.getenv());
    }

    /**
     * The reference's {@code logger.configure(folder, format_strs)} with the environment given.
     *
     * @param folder the log folder; null takes {@code OPENAI_LOGDIR}, else a new {@code <tmp>/SB3-<date-time>}
     * @param formats format names ({@code stdout, log, csv, json, tensorboard}); null takes
     *        {@code OPENAI_LOG_FORMAT}, else {@link #DEFAULT_FORMATS}
     * @param env the environment variables to read
     * @throws IllegalArgumentException for an unknown format name, saying where it came from
     */
    public static Logger configure(String folder, List<String> formats, Map<String, String> env) {
        Path dir = folder != null ? Path.of(folder) : logDirFromEnv(env);
        List<LogFormat> chosen = formats != null ? LogFormat.parseAll(formats)
                : formatsFromEnv(env).orElseGet(() -> LogFormat.parseAll(DEFAULT_FORMATS));
        return open(dir, chosen);
    }

    /**
     * The logger of one {@code learn} call (SB3's {@code configure_logger}), reading the real environment.
     *
     * @see #forTraining(int, String, String, boolean, Map)
     */
    public static Logger forTraining(int verbose, String tensorboardLog, String tbLogName, boolean resetNumTimesteps) {
        return forTraining(verbose, tensorboardLog, tbLogName, resetNumTimesteps, System.getenv());
    }

    /**
     * The logger of one {@code learn} call (SB3's {@code configure_logger}) with the environment given.
     * The console table is on when {@code verbose >= 1}; {@code verbose >= 2} also shows DEBUG messages.
     * <ul>
     * <li>With {@code tensorboardLog}: TensorBoard events in the run folder
     *     {@code <tensorboardLog>/<tbLogName>_<N>} (see {@link #runDirectory}).</li>
     * <li>Without: whatever {@code OPENAI_LOG_FORMAT} asks for, in {@code OPENAI_LOGDIR} (or a temp
     *     folder), as the reference's legacy integration; nothing else.</li>
     * </ul>
     *
     * @param tensorboardLog the TensorBoard root folder, or null for none
     * @param tbLogName the run name, by convention the algorithm's ({@code "PPO2"}); needed only with {@code tensorboardLog}
     * @param resetNumTimesteps false continues the latest run's curve instead of starting run {@code N+1}
     */
    public static Logger forTraining(int verbose, String tensorboardLog, String tbLogName, boolean resetNumTimesteps,
            Map<String, String> env) {
        Set<LogFormat> formats = EnumSet.noneOf(LogFormat.class);
        if (verbose >= 1) {
            formats.add(LogFormat.STDOUT);
        }
        Path dir;
        if (tensorboardLog != null) {
            Objects.requireNonNull(tbLogName, "tbLogName is needed with a tensorboardLog folder");
            dir = runDirectory(Path.of(tensorboardLog), tbLogName, resetNumTimesteps);
            formats.add(LogFormat.TENSORBOARD);
        } else {
            dir = logDirFromEnv(env);
            formats.addAll(formatsFromEnv(env).orElse(List.of()));
        }
        Logger logger = open(dir, formats);
        logger.setLevel(verbose >= 2 ? LogLevel.DEBUG : LogLevel.INFO);
        return logger;
    }

    /**
     * The TensorBoard folder of a run: {@code <tensorboardLog>/<tbLogName>_<N>} with N one more than
     * the {@linkplain #latestRunId latest run}, or the latest run itself when {@code resetNumTimesteps}
     * is false so its curve continues (run 1 when there is none yet). The folder is not created here.
     */
    public static Path runDirectory(Path tensorboardLog, String tbLogName, boolean resetNumTimesteps) {
        int latest = latestRunId(tensorboardLog, tbLogName);
        int runId = resetNumTimesteps || latest == 0 ? latest + 1 : latest;
        return tensorboardLog.resolve(tbLogName + "_" + runId);
    }

    /** The largest N of the folders {@code <tbLogName>_<N>} in {@code tensorboardLog}, 0 if none (SB3's {@code get_latest_run_id}). */
    public static int latestRunId(Path tensorboardLog, String tbLogName) {
        if (!Files.isDirectory(tensorboardLog)) {
            return 0;
        }
        Pattern runName = Pattern.compile(Pattern.quote(tbLogName) + "_(\\d+)");
        try (Stream<Path> entries = Files.list(tensorboardLog)) {
            return entries.filter(Files::isDirectory)
                    .map(path -> runName.matcher(path.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tensorboardLog, e);
        }
    }

    /**
     * Records {@code value} (a {@link Number} or {@link String}) under {@code key}; the last value
     * before a dump wins.
     *
     * @param excluded formats to keep the value out of (e.g. {@link LogFormat#TENSORBOARD} for a value
     *        that is no curve); none by default
     */
    public void record(String key, Object value, LogFormat... excluded) {
        nameToValue.put(key, checkedValue(key, value));
        nameToCount.remove(key);
        setExcluded(key, excluded);
    }

    /**
     * Records the histogram of {@code values} under {@code key}, for TensorBoard only (the other
     * formats have no place for it).
     */
    public void recordHistogram(String key, float[] values) {
        nameToValue.put(key, Histogram.of(values));
        nameToCount.remove(key);
        EnumSet<LogFormat> others = EnumSet.complementOf(EnumSet.of(LogFormat.TENSORBOARD));
        nameToExcluded.put(key, others);
    }

    /**
     * Adds {@code value} to the mean recorded under {@code key} since the last dump.
     *
     * @param excluded formats to keep the mean out of; none by default
     */
    public void recordMean(String key, double value, LogFormat... excluded) {
        int count = nameToCount.getOrDefault(key, 0);
        double mean = count == 0 ? 0.0 : (Double) nameToValue.get(key);
        nameToValue.put(key, mean + (value - mean) / (count + 1));
        nameToCount.put(key, count + 1);
        setExcluded(key, excluded);
    }

    /**
     * Writes the recorded values to every output (each without the keys excluded from its format,
     * skipped when none are left), then forgets them. At level {@link LogLevel#DISABLED} nothing is written.
     *
     * @param step the x coordinate of the values, usually the number of timesteps so far
     */
    public void dump(long step) {
        if (level != LogLevel.DISABLED && !nameToValue.isEmpty()) {
            for (KVWriter output : outputs) {
                Map<String, Object> shown = valuesFor(output.format());
                if (!shown.isEmpty()) {
                    output.write(shown, step);
                }
            }
        }
        nameToValue.clear();
        nameToCount.clear();
        nameToExcluded.clear();
    }

    /** The values recorded since the last dump, in recording order (a read-only live view). */
    public Map<String, Object> getNameToValue() {
        return Collections.unmodifiableMap(nameToValue);
    }

    /** Writes the words, space-separated, to the console and {@code log.txt} outputs, at level INFO. */
    public void log(String... words) {
        log(LogLevel.INFO, words);
    }

    /** Writes the words if {@code messageLevel} is at least this logger's {@linkplain #getLevel level}. */
    public void log(LogLevel messageLevel, String... words) {
        if (level.shows(messageLevel)) {
            List<String> message = Arrays.asList(words);
            for (KVWriter output : outputs) {
                if (output instanceof SeqWriter messages) {
                    messages.writeSequence(message);
                }
            }
        }
    }

    /** {@link #log(LogLevel, String...)} at level DEBUG. */
    public void debug(String... words) {
        log(LogLevel.DEBUG, words);
    }

    /** {@link #log(LogLevel, String...)} at level INFO. */
    public void info(String... words) {
        log(LogLevel.INFO, words);
    }

    /** {@link #log(LogLevel, String...)} at level WARN. */
    public void warn(String... words) {
        log(LogLevel.WARN, words);
    }

    /** {@link #log(LogLevel, String...)} at level ERROR. */
    public void error(String... words) {
        log(LogLevel.ERROR, words);
    }

    /** The lowest message level shown; INFO by default. */
    public LogLevel getLevel() {
        return level;
    }

    /** Sets the lowest message level shown; {@link LogLevel#DISABLED} also stops dumps. */
    public void setLevel(LogLevel level) {
        this.level = Objects.requireNonNull(level, "level");
    }

    /** The log folder (which exists only if some format writes files), or null. */
    public Path getDir() {
        return folder;
    }

    /** The outputs, in the order they are written. */
    public List<KVWriter> getOutputFormats() {
        return outputs;
    }

    /** Closes every output. */
    @Override
    public void close() {
        for (KVWriter output : outputs) {
            output.close();
        }
    }

    /** Opens the formats' writers in {@code dir}; says where files go, as the reference does. */
    private static Logger open(Path dir, Collection<LogFormat> formats) {
        boolean writesFiles = formats.stream().anyMatch(LogFormat::writesFiles);
        if (writesFiles) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create log folder " + dir, e);
            }
        }
        List<KVWriter> writers = new ArrayList<>();
        try {
            for (LogFormat format : formats) {
                writers.add(format.open(dir));
            }
        } catch (RuntimeException e) {
            writers.forEach(KVWriter::close);
            throw e;
        }
        Logger logger = new Logger(dir, writers);
        if (writesFiles) {
            logger.log("Logging to " + dir);
        }
        return logger;
    }

    private static Path logDirFromEnv(Map<String, String> env) {
        String dir = env.get(LOG_DIR_ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "SB3-" + LocalDateTime.now().format(TEMP_DIR_TIME));
    }

    /** The formats {@code OPENAI_LOG_FORMAT} names, if it is set. */
    private static Optional<List<LogFormat>> formatsFromEnv(Map<String, String> env) {
        String names = env.get(LOG_FORMAT_ENV);
        if (names == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LogFormat.parseList(names));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(LOG_FORMAT_ENV + "=" + names + ": " + e.getMessage(), e);
        }
    }

    private static Object checkedValue(String key, Object value) {
        if (value instanceof Number || value instanceof String) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        throw new IllegalArgumentException("value of '" + key + "' must be a Number or a String, got "
                + (value == null ? "null" : value.getClass().getName()));
    }

    private void setExcluded(String key, LogFormat... excluded) {
        if (excluded.length == 0) {
            nameToExcluded.remove(key);
        } else {
            nameToExcluded.put(key, EnumSet.copyOf(Arrays.asList(excluded)));
        }
    }

    private Map<String, Object> valuesFor(LogFormat format) {
        Map<String, Object> shown = new LinkedHashMap<>();
        nameToValue.forEach((key, value) -> {
            if (!nameToExcluded.getOrDefault(key, Set.of()).contains(format)) {
                shown.put(key, value);
            }
        });
        return Collections.unmodifiableMap(shown);
    }
}
