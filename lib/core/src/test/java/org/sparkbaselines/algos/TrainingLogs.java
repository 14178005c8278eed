package org.sparkbaselines.algos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.logging.TensorBoardEvents;
import org.sparkbaselines.vec.DummyVecEnv;
import org.sparkbaselines.vec.VecEnv;

/** Fixtures for algorithm tests: {@link AlternatingEnv}s, and what a training run wrote to TensorBoard. */
public final class TrainingLogs {
    private TrainingLogs() {
    }

    /** {@code n} {@link AlternatingEnv}s of episodes of {@code length} steps. */
    public static VecEnv alternatingEnvs(int n, int length) {
        List<Supplier<Env>> factories = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            factories.add(() -> new AlternatingEnv(length));
        }
        return new DummyVecEnv(factories);
    }

    /** The dumps of the run folder's event file (the file-version record left out). */
    public static List<TensorBoardEvents.Event> dumps(Path runDir) throws IOException {
        List<TensorBoardEvents.Event> events = TensorBoardEvents.read(TensorBoardEvents.eventFile(runDir));
        return events.subList(1, events.size());
    }

    /** The values of one scalar across dumps. */
    public static List<Float> scalar(List<TensorBoardEvents.Event> dumps, String key) {
        return dumps.stream().map(e -> e.scalars().get(key)).toList();
    }
}
