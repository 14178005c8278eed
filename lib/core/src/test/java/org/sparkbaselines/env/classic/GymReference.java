package org.sparkbaselines.env.classic;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sparkbaselines.SharedReference;

/** Finds the Gymnasium reference recordings shared with the repository ({@code shared/reference/gym-trajectories}). */
final class GymReference {
    /** The recorded env ids, one JSON file each. */
    static final String[] ENV_IDS = {"CartPole-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1"};

    private GymReference() {
    }

    static Path directory() {
        return SharedReference.path("gym-trajectories");
    }

    static Path file(String envId) {
        Path file = directory().resolve(envId + ".json");
        if (!Files.isRegularFile(file)) {
            fail("reference recording " + file + " is missing");
        }
        return file;
    }
}
