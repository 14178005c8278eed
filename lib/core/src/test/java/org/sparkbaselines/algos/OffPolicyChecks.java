package org.sparkbaselines.algos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/** Checks every off-policy algorithm passes. */
public final class OffPolicyChecks {
    private OffPolicyChecks() {
    }

    /**
     * Training {@code first + second} steps in one go and training {@code first}, saving the model and its replay buffer,
     * loading both (into a model built from the file alone) and training {@code second} more give the same parameters.
     */
    public static void assertResumesWhereItStopped(Supplier<? extends OffPolicyAlgorithm<?>> make, String envId, int first, int second,
            Path dir) throws Exception {
        OffPolicyAlgorithm<?> straight = make.get();
        straight.learn(first);
        OffPolicyAlgorithm<?> interrupted = make.get();
        interrupted.learn(first);
        Path file = interrupted.save(dir.resolve("model.zip"));
        interrupted.saveReplayBuffer(dir.resolve("buffer.npz"));
        OffPolicyAlgorithm<?> resumed = (OffPolicyAlgorithm<?>) Algorithms.loadAny(file, null);
        resumed.loadReplayBuffer(dir.resolve("buffer.npz"));
        assertEquals(interrupted.replayBuffer().size(), resumed.replayBuffer().size());
        // The same env state for both: a fresh env with the same seed.
        straight.setEnv(VecEnvs.makeVecEnv(envId, 1, 9L));
        resumed.setEnv(VecEnvs.makeVecEnv(envId, 1, 9L));
        straight.learn(second, null, 0, straight.algorithmName(), false);
        resumed.learn(second, null, 0, resumed.algorithmName(), false);
        assertEquals(first + second, resumed.numTimesteps());
        straight.getParameters().forEach((name, values) -> assertArrayEquals(values, resumed.getParameters().get(name), name));
    }

    /** {@code model} trained for {@code steps}, then evaluated deterministically over 10 episodes of {@code envId} (seed 100); prints the time. */
    public static EvaluationResult learnAndEvaluate(BaseAlgorithm<?> model, long steps, String envId) {
        long start = System.nanoTime();
        model.learn(steps);
        double seconds = (System.nanoTime() - start) / 1e9;
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv(envId, 1, 100L), 10, true, false, null, null);
        System.out.printf("%s %s %,d steps: %.1f s, %s%n", model.algorithmName(), envId, steps, seconds, eval);
        return eval;
    }
}
