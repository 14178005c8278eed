package org.sparkbaselines.algos.a2c;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.TrainingLogs;
import org.sparkbaselines.logging.TensorBoardEvents;

/** How A2C orchestrates its updates: rollouts per learn call and the reference's learning-rate Scheduler. */
class A2CTest {
    @TempDir
    Path dir;

    private A2C logged(String lrSchedule) {
        return new A2C("MlpPolicy", TrainingLogs.alternatingEnvs(2, 5),
                A2C.Config.DEFAULT.with(Map.of("learning_rate", 0.01, "lr_schedule", lrSchedule)),
                AlgorithmOptions.DEFAULT.withSeed(0L).withTensorboardLog(dir.toString()));
    }

    @Test
    void learningRateFollowsTheReferenceSchedulerOverTotalTimesteps() throws Exception {
        // Rollouts of 5 steps x 2 envs; the Scheduler over 35 timesteps advances once per sample, so update k
        // trains with its value at step 10k - 1: 0.01 * (1 - 9/35), 0.01 * (1 - 19/35), 0.01 * (1 - 29/35).
        A2C model = logged("linear");
        model.learn(35, null, 1, "A2C", true);
        assertEquals(30, model.numTimesteps(), "35 // 10 = 3 updates");
        List<TensorBoardEvents.Event> dumps = TrainingLogs.dumps(dir.resolve("A2C_1"));
        assertEquals(List.of(10L, 20L, 30L), dumps.stream().map(TensorBoardEvents.Event::step).toList());
        assertEquals(List.of((float) (0.01 * 26 / 35), (float) (0.01 * 16 / 35), (float) (0.01 * 6 / 35)),
                TrainingLogs.scalar(dumps, "train/learning_rate"));
    }

    @Test
    void middleDropDropsOnceAQuarterIsDone() throws Exception {
        // middle_drop: 1 - p while that is at least 0.75, then 0.075; p = (10k - 1) / 40
        A2C model = logged("middle_drop");
        model.learn(40, null, 1, "A2C", true);
        assertEquals(List.of((float) (0.01 * 31 / 40), 0.01f * 0.075f, 0.01f * 0.075f, 0.01f * 0.075f),
                TrainingLogs.scalar(TrainingLogs.dumps(dir.resolve("A2C_1")), "train/learning_rate"));
    }

    @Test
    void theFirstUpdateIsLoggedWhateverTheInterval() throws Exception {
        A2C model = logged("constant");
        model.learn(30);
        assertEquals(List.of(10L), TrainingLogs.dumps(dir.resolve("A2C_1")).stream().map(TensorBoardEvents.Event::step).toList(),
                "log_interval 100: only the first update");
    }
}
