package org.sparkbaselines.spark.expert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparkbaselines.spark.expert.WholeEpisodes.assertWholeEpisodes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/** A task that dies mid-episode is retried by Spark and leaves no partial or duplicate episode. */
class ExpertGenerationFaultTest {
    private static final String FLAKY = "flaky-on-first-attempt";
    private static final int FAIL_AFTER_STEPS = 150;
    /** Failures injected so far; executors share the test's JVM in local mode. */
    private static final AtomicInteger INJECTED = new AtomicInteger();

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        // local[2,2]: every task may run twice.
        spark = SparkSessions.forTests(2);
        Experts.register(FLAKY, envId -> failingOnFirstAttempt(Experts.create(Experts.CARTPOLE_BALANCE, envId)));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** {@code expert}, except that the first attempt of task 0 throws in the middle of its second episode. */
    private static Predictor failingOnFirstAttempt(Predictor expert) {
        TaskContext task = TaskContext.get();
        // No task context on the driver, where the expert is built once to check it.
        boolean fail = task != null && task.partitionId() == 0 && task.attemptNumber() == 0;
        AtomicInteger steps = new AtomicInteger();
        return (observations, deterministic) -> {
            if (fail && steps.incrementAndGet() == 500 + FAIL_AFTER_STEPS) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure in the middle of an episode");
            }
            return expert.predict(observations, deterministic);
        };
    }

    @Test
    void aRetriedTaskLeavesExactlyTheEpisodesAskedFor() throws IOException {
        int episodes = 4;
        ExpertSpec spec = ExpertSpec.of(ExpertSource.named(FLAKY), "CartPole-v1", episodes, dir.toString()).withTasks(2);
        GenerationResult result = ExpertGeneration.run(spark, spec);

        assertEquals(1, INJECTED.get(), "failures injected");
        assertEquals(episodes, result.episodes());
        assertEquals(500L * episodes, result.steps());
        assertWholeEpisodes(TrajectoryStore.at(spark, spec.table()), spec.dataset(), result.runId(), episodes);
    }
}
