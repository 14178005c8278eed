package org.sparkbaselines.imitation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.imitation.ExpertDataset.Options;
import org.sparkbaselines.imitation.ExpertDataset.Split;
import org.sparkbaselines.logging.KVWriter;
import org.sparkbaselines.logging.LogFormat;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.vec.VecEnvs;

class BehaviorCloningTest {
    private static final Options QUIET = Options.DEFAULT.withVerbose(0).withSeed(0L);
    private static final AlgorithmOptions SEEDED = AlgorithmOptions.DEFAULT.withSeed(0L);

    /** The reference's BC example: PPO2 cloned from 5 expert CartPole episodes plays well without any RL (about 5 s). */
    @Test
    void cartPoleCloneReaches450WithoutRl() throws IOException {
        PPO2 model = new PPO2("MlpPolicy", "CartPole-v1", PPO2.Config.DEFAULT, SEEDED);
        try (ExpertDataset dataset = ExpertDataset.fromNpz(ExpertFixtures.referenceNpz(), QUIET)) {
            assertSame(model, model.pretrain(dataset, 30, 1e-3, 1e-8, null));
        }
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), 10, true, false, null, null);
        assertTrue(eval.meanReward() >= 450, eval.toString());
    }

    @Test
    void boxActionsCloneTheMeanAndKeepTheLogStd() {
        PPO2 model = new PPO2("MlpPolicy", "Pendulum-v1", PPO2.Config.DEFAULT, SEEDED);
        TrajectoryData expert = ExpertFixtures.record(Envs.make("Pendulum-v1"), ExpertFixtures.LINEAR_PENDULUM_EXPERT, 10, 0);
        BehaviorCloning cloning = new BehaviorCloning(model.policy());
        try (ExpertDataset dataset = new ExpertDataset(expert, QUIET)) {
            double before = cloning.meanLoss(dataset, Split.VALIDATION);
            List<BehaviorCloning.EpochLoss> reports = cloning.train(dataset, new BehaviorCloning.Config(20, 1e-3, 1e-8, null), silentLogger());
            double after = reports.get(reports.size() - 1).validationLoss();
            assertTrue(after < before, "validation loss " + before + " -> " + after);
            float[][] validationObs = dataset.getNextBatch(Split.VALIDATION).observations();
            assertTrue(meanAbsoluteDifference(model.predict(validationObs, true), ExpertFixtures.LINEAR_PENDULUM_EXPERT.predict(validationObs, true)) < 0.1,
                    "the deterministic action follows the expert's");
        }
        assertArrayEquals(new float[] {0f}, model.getParameters().get("model/pi/logstd:0"), "the exploration noise is left for RL");
    }

    @Test
    void lossesAreLoggedEveryValInterval() {
        PPO2 model = new PPO2("MlpPolicy", "CartPole-v1", PPO2.Config.DEFAULT, SEEDED);
        Capture capture = new Capture();
        try (ExpertDataset dataset = new ExpertDataset(cartPoleShaped(), QUIET); Logger logger = new Logger(null, List.of(capture))) {
            List<BehaviorCloning.EpochLoss> reports = new BehaviorCloning(model.policy())
                    .train(dataset, new BehaviorCloning.Config(4, 1e-3, 1e-8, 2), logger);
            assertEquals(List.of(2, 4), reports.stream().map(BehaviorCloning.EpochLoss::epoch).toList());
        }
        assertEquals(List.of(2L, 4L), capture.steps);
        Map<String, Object> last = capture.dumps.get(1);
        assertEquals(List.of("pretrain/epoch", "pretrain/train_loss", "pretrain/val_loss"), List.copyOf(last.keySet()));
        assertTrue(((Number) last.get("pretrain/train_loss")).doubleValue() > 0, "a negative log-likelihood of discrete actions is positive");
    }

    @Test
    void defaultValIntervalIsATenthOfTheEpochs() {
        assertEquals(1, BehaviorCloning.Config.DEFAULT.reportInterval());
        assertEquals(3, new BehaviorCloning.Config(35, 1e-4, 1e-8, null).reportInterval());
        assertEquals(7, new BehaviorCloning.Config(35, 1e-4, 1e-8, 7).reportInterval());
    }

    @Test
    void aDatasetForOtherSpacesIsAnError() {
        PPO2 model = new PPO2("MlpPolicy", "Pendulum-v1", PPO2.Config.DEFAULT, SEEDED);
        try (ExpertDataset dataset = new ExpertDataset(cartPoleShaped(), QUIET)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.pretrain(dataset));
            assertTrue(e.getMessage().contains("observations have shape (steps, 4)"), e.getMessage());
        }
    }

    /** 2 episodes of 50 steps with CartPole's sizes: 4 observation values, Discrete(2) actions. */
    private static TrajectoryData cartPoleShaped() {
        TrajectoryData counting = ExpertFixtures.counting(2, 50);
        float[][] obs = new float[counting.steps()][];
        for (int step = 0; step < obs.length; step++) {
            obs[step] = new float[] {step / 100f, 0, 0, 0};
        }
        return new TrajectoryData(obs, counting.actions(), counting.rewards(), counting.episodeReturns(), counting.episodeStarts());
    }

    private static Logger silentLogger() {
        return new Logger(null, List.of());
    }

    private static double meanAbsoluteDifference(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i][0] - b[i][0]);
        }
        return sum / a.length;
    }

    /** A logger output that keeps every dump. */
    private static final class Capture implements KVWriter {
        final List<Map<String, Object>> dumps = new ArrayList<>();
        final List<Long> steps = new ArrayList<>();

        @Override
        public LogFormat format() {
            return LogFormat.JSON;
        }

        @Override
        public void write(Map<String, Object> keyValues, long step) {
            dumps.add(new LinkedHashMap<>(keyValues));
            steps.add(step);
        }

        @Override
        public void close() {
        }
    }
}
