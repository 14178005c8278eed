package org.sparkbaselines.env.classic;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Gymnasium reference recordings shared with the repository ({@code shared/reference/gym-trajectories}). */
final class GymReference {
    /** The recorded env ids, one JSON file each. */
    static final String[] ENV_IDS = {"CartPole-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1"};

    private GymReference() {
    }

    /** Walks up from the working directory (the module when Maven runs tests, or the repository root). */
    static Path directory() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/reference/gym-trajectories");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return fail("no shared/reference/gym-trajectories directory in " + start + " or any directory above it");
    }

    static Path file(String envId) {
        Path file = directory().resolve(envId + ".json");
        if (!Files.isRegularFile(file)) {
            fail("reference recording " + file + " is missing");
        }
        return file;
    }
}
