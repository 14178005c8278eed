package org.sparkbaselines.spark.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.env.testenvs.IdentityEnvMultiDiscrete;
import org.sparkbaselines.imitation.BehaviorCloning.EpochLoss;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.dataset.DeltaExpertData;
import org.sparkbaselines.spark.dataset.ExpertQuery;
import org.sparkbaselines.spark.expert.ExpertGeneration;
import org.sparkbaselines.spark.expert.ExpertSource;
import org.sparkbaselines.spark.expert.ExpertSpec;
import org.sparkbaselines.spark.expert.Experts;
import org.sparkbaselines.vec.VecEnvs;

/**
 * Data-parallel behavior cloning on {@code local[2]} (two workers) against the shipped Delta expert
 * table {@code data/expert-cartpole}: the bar (a clone that balances the pole without RL),
 * that the weights land in the model and survive save/load, and clear errors for bad input; and Box
 * actions, cloned from a hand-written MountainCarContinuous controller's generated episodes. Runs with
 * the full JIT (the surefire execution for training tests).
 */
@Tag("slow")
class DataParallelBehaviorCloningTest {
    private static final AlgorithmOptions SEEDED = AlgorithmOptions.DEFAULT.withSeed(0L);
    private static final ExpertQuery SHIPPED = ExpertQuery.of("ppo2-cartpole");

    private static SparkSession spark;
    private static DeltaExpertData shipped;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.forTests();
        shipped = DeltaExpertData.at(spark, ancestorHolding("data/expert-cartpole").toString());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /**
     * The bar, as PretrainCommandTest sets it for the driver-side mode: 450 over 10 deterministic
     * episodes, without RL. 20 epochs at learning rate 1e-3, averaging every 10 minibatches of 64 rows:
     * seeds 0 to 3 all score 500 (as do 15 epochs averaging every 5); about 10 s of training once warm.
     */
    @Test
    void cloningTheShippedTableDataParallelBalancesThePole() {
        PPO2 model = new PPO2("MlpPolicy", "CartPole-v1", PPO2.Config.DEFAULT, SEEDED);
        DataParallelBehaviorCloning.Config config = DataParallelBehaviorCloning.Config.DEFAULT.withEpochs(20).withLearningRate(1e-3)
                .withAveragingFrequency(10).withValInterval(5);
        List<EpochLoss> reports = new DataParallelBehaviorCloning(model).train(shipped, SHIPPED, config, silent());
        assertEquals(List.of(5, 10, 15, 20), reports.stream().map(EpochLoss::epoch).toList());
        EpochLoss first = reports.get(0);
        EpochLoss last = reports.get(reports.size() - 1);
        assertTrue(last.trainLoss() < first.trainLoss() && last.validationLoss() < first.validationLoss(), reports.toString());
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), 10, true, false, null, null);
        assertTrue(eval.meanReward() >= 450, eval + ", losses " + reports);
    }

    /** Only the action path changes; the value network and the rest stay; a saved model loads with the same weights and actions. */
    @Test
    void trainedWeightsReachTheModelAndSurviveSaveAndLoad() throws IOException {
        PPO2 model = new PPO2("MlpPolicy", "CartPole-v1", PPO2.Config.DEFAULT, SEEDED);
        Map<String, float[]> before = model.getParameters();
        DataParallelBehaviorCloning.Config config = DataParallelBehaviorCloning.Config.DEFAULT.withEpochs(1).withLearningRate(1e-3);
        new DataParallelBehaviorCloning(model).train(shipped, SHIPPED.withTrajLimitation(2), config, silent());
        Map<String, float[]> after = model.getParameters();
        for (String name : before.keySet()) {
            boolean changed = !Arrays.equals(before.get(name), after.get(name));
            assertEquals(name.startsWith("model/pi"), changed, name + (changed ? " changed" : " did not change"));
        }

        PPO2 loaded = PPO2.load(model.save(dir.resolve("bc")), null);
        Map<String, float[]> reloaded = loaded.getParameters();
        assertEquals(after.keySet(), reloaded.keySet());
        for (String name : after.keySet()) {
            assertArrayEquals(after.get(name), reloaded.get(name), name);
        }
        float[][] observations = {{0.01f, -0.2f, 0.03f, 0.25f}, {-0.05f, 0.4f, -0.02f, -0.6f}, {0.1f, 0.1f, 0.1f, 0.1f}};
        assertArrayEquals(model.predict(observations, true), loaded.predict(observations, true));
    }

    /**
     * Box actions: the hand-written MountainCarContinuous controller (full force the way the car moves)
     * generated across the executors, then cloned data-parallel with the mean-squared-error loss. The
     * clone must push the way the expert does on held-out states (185 of 200 here) and swing the car up
     * the hill (94 here; the expert's full force scores about 89). About 20 s once Spark is up.
     */
    @Test
    void cloningABoxActionControllerPushesTheWayItDoes() throws IOException {
        ExpertSpec spec = ExpertSpec.of(ExpertSource.named(Experts.MOUNTAINCAR_ENERGY), "MountainCarContinuous-v0", 8,
                dir.resolve("mountaincar").toString()).withTasks(2);
        ExpertGeneration.run(spark, spec);
        PPO2 model = new PPO2("MlpPolicy", "MountainCarContinuous-v0", PPO2.Config.DEFAULT, SEEDED);
        DataParallelBehaviorCloning.Config config = DataParallelBehaviorCloning.Config.DEFAULT.withEpochs(20)
                .withLearningRate(5e-3).withAveragingFrequency(5).withValInterval(20);
        List<EpochLoss> reports = new DataParallelBehaviorCloning(model)
                .train(DeltaExpertData.at(spark, spec.table()), ExpertQuery.of(spec.dataset()), config, silent());

        // Held-out states: anywhere on the track, moving at least 0.005 either way.
        float[][] states = new float[200][];
        int agree = 0;
        Random random = new Random(1);
        for (int i = 0; i < states.length; i++) {
            float velocity = (random.nextBoolean() ? 1 : -1) * (0.005f + 0.05f * random.nextFloat());
            states[i] = new float[] {-1.1f + 1.5f * random.nextFloat(), velocity};
        }
        float[][] actions = model.predict(states, true);
        for (int i = 0; i < states.length; i++) {
            if (Math.signum(actions[i][0]) == Math.signum(states[i][1])) {
                agree++;
            }
        }
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("MountainCarContinuous-v0", 1, 0L), 5, true,
                false, null, null);
        assertTrue(agree >= 170, agree + " of 200 states pushed the way the car moves; losses " + reports);
        assertTrue(eval.meanReward() >= 80, eval + ", losses " + reports);
    }

    @Test
    void badInputIsAClearError() {
        String missing = dir.resolve("no-such-table").toString();
        IllegalArgumentException noTable = assertThrows(IllegalArgumentException.class, () -> DeltaExpertData.at(spark, missing));
        assertTrue(noTable.getMessage().contains(missing), noTable.getMessage());

        PPO2 cartPole = new PPO2("MlpPolicy", "CartPole-v1", PPO2.Config.DEFAULT, SEEDED);
        DataParallelBehaviorCloning cloning = new DataParallelBehaviorCloning(cartPole);
        IllegalArgumentException noDataset = assertThrows(IllegalArgumentException.class,
                () -> cloning.train(shipped, ExpertQuery.of("no-such-dataset"), DataParallelBehaviorCloning.Config.DEFAULT, silent()));
        assertTrue(noDataset.getMessage().contains("no dataset 'no-such-dataset'") && noDataset.getMessage().contains("ppo2-cartpole"),
                noDataset.getMessage());

        PPO2 pendulum = new PPO2("MlpPolicy", "Pendulum-v1", PPO2.Config.DEFAULT, SEEDED);
        IllegalArgumentException otherEnv = assertThrows(IllegalArgumentException.class,
                () -> new DataParallelBehaviorCloning(pendulum).train(shipped, SHIPPED, DataParallelBehaviorCloning.Config.DEFAULT, silent()));
        assertTrue(otherEnv.getMessage().contains("have 4 value(s) per step"), otherEnv.getMessage());

        PPO2 multiDiscrete = new PPO2("MlpPolicy", new IdentityEnvMultiDiscrete(2, 10), PPO2.Config.DEFAULT, SEEDED);
        IllegalArgumentException actions = assertThrows(IllegalArgumentException.class, () -> new DataParallelBehaviorCloning(multiDiscrete));
        assertTrue(actions.getMessage().contains("needs Discrete or Box actions"), actions.getMessage());

        assertThrows(IllegalArgumentException.class, () -> DataParallelBehaviorCloning.Config.DEFAULT.withAveragingFrequency(0));
        assertThrows(IllegalArgumentException.class, () -> DataParallelBehaviorCloning.Config.DEFAULT.withWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> DataParallelBehaviorCloning.Config.DEFAULT.withTrainFraction(1.0));
    }

    private static Logger silent() {
        return new Logger(null, List.of());
    }

    /** {@code relative}, found by walking up from the working directory. */
    private static Path ancestorHolding(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath());
    }
}
