package org.sparkbaselines;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reference material shared with the repository ({@code shared/reference}): recordings, datasets, the SB2 zoo. */
public final class SharedReference {
    private SharedReference() {
    }

    /**
     * {@code shared/reference/<relative>} (a file or a folder), found by walking up from the working directory
     * (the module when Maven runs tests, or the repository root); a test fails when it is missing.
     */
    public static Path path(String relative) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/reference").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return fail("no shared/reference/" + relative + " in " + start + " or any directory above it");
    }
}
