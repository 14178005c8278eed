package org.sparkbaselines.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sparkbaselines.common.PythonFormat;

/**
 * Writes the reference's {@code monitor.csv}: a first line {@code #{"t_start": <unix seconds>, "env_id": ...}},
 * a header {@code r,l,t[,info keywords]}, then one row per episode, flushed as it ends. {@code r} and
 * {@code t} are rounded to 6 decimals and printed as Python prints floats, so the reference's
 * {@code load_results} (and pandas) read our files unchanged.
 */
public final class MonitorFile implements AutoCloseable {
    /** The file name suffix the reference globs for. */
    public static final String SUFFIX = "monitor.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final BufferedWriter out;
    private final List<String> infoKeywords;

    /**
     * @param filename a directory (the file is {@code dir/monitor.csv}), a path ending in
     *        {@code monitor.csv}, or any other path (suffixed with {@code .monitor.csv})
     */
    public MonitorFile(Path filename, double tStart, String envId, List<String> infoKeywords) {
        this.path = resolve(filename);
        this.infoKeywords = List.copyOf(infoKeywords);
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            out.write("#{\"t_start\": " + PythonFormat.str(tStart) + ", \"env_id\": " + JSON.writeValueAsString(envId) + "}\n");
            out.write("r,l,t" + (infoKeywords.isEmpty() ? "" : "," + String.join(",", infoKeywords)) + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create monitor file " + path, e);
        }
    }

    /** Where the rows go. */
    public Path path() {
        return path;
    }

    /** The file a monitor writes for {@code filename} (see the constructor). */
    public static Path resolve(Path filename) {
        if (Files.isDirectory(filename)) {
            return filename.resolve(SUFFIX);
        }
        String name = filename.getFileName().toString();
        return name.endsWith(SUFFIX) ? filename : filename.resolveSibling(name + "." + SUFFIX);
    }

    /** Appends one episode row and flushes it. */
    public void write(EpisodeInfo episode) {
        StringBuilder row = new StringBuilder();
        row.append(PythonFormat.str(round6(episode.reward()))).append(',').append(episode.length()).append(',')
                .append(PythonFormat.str(round6(episode.time())));
        for (String key : infoKeywords) {
            Object v = episode.extra().get(key);
            row.append(',').append(v instanceof Boolean b ? (b ? "True" : "False") : v == null ? "" : v);
        }
        try {
            out.write(row.append('\n').toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to monitor file " + path, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close monitor file " + path, e);
        }
    }

    /** Rounds to 6 decimals, as the reference rounds {@code r} and {@code t}. */
    public static double round6(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).doubleValue() : v;
    }
}
