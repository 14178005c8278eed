package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The zoo's run layout: {@code <log-folder>/<algo>/<env>_<N>/<env>.zip}. */
final class RunFolders {
    private RunFolders() {
    }

    /** The largest run index N of {@code envId} under {@code base} (0 when there is none). */
    static int latestIndex(Path base, String envId) throws IOException {
        int latest = 0;
        if (!Files.isDirectory(base)) {
            return latest;
        }
        try (var runs = Files.list(base)) {
            for (Path run : (Iterable<Path>) runs::iterator) {
                String name = run.getFileName().toString();
                if (name.startsWith(envId + "_")) {
                    try {
                        latest = Math.max(latest, Integer.parseInt(name.substring(envId.length() + 1)));
                    } catch (NumberFormatException e) {
                        // a folder that is not one of our runs
                    }
                }
            }
        }
        return latest;
    }

    /** A new, empty run folder numbered one past the latest. */
    static Path next(Path base, String envId) throws IOException {
        Path run = base.resolve(envId + "_" + (latestIndex(base, envId) + 1));
        Files.createDirectories(run);
        return run;
    }

    /** The model of the latest run; an error naming the folder when there is none. */
    static Path latestModel(Path base, String envId, String algo) throws IOException {
        int latest = latestIndex(base, envId);
        Path model = base.resolve(envId + "_" + latest).resolve(envId + ".zip");
        if (latest == 0 || !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no trained " + algo + " model for " + envId + " under " + base + "; train one with "
                    + "'sb train --algo " + algo + " --env " + envId + "' or pass --model");
        }
        return model;
    }
}
