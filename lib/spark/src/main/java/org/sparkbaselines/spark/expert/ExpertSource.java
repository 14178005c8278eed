package org.sparkbaselines.spark.expert;

import java.nio.file.Path;
import java.util.Objects;

/** What acts in expert generation: a saved model file, or an expert registered by name in {@link Experts}. */
public sealed interface ExpertSource permits ExpertSource.SavedModel, ExpertSource.Registered {

    /** A model zip saved by any registered algorithm; it is read on the driver and shipped to the executors. */
    static ExpertSource model(Path path) {
        return new SavedModel(path);
    }

    /** An expert registered under {@code name} in {@link Experts}. */
    static ExpertSource named(String name) {
        return new Registered(name);
    }

    /** A saved model file (any registered algorithm). */
    record SavedModel(Path path) implements ExpertSource {
        public SavedModel {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A named expert of {@link Experts}. */
    record Registered(String name) implements ExpertSource {
        public Registered {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an expert name must not be blank");
            }
        }
    }
}
