package org.sparkbaselines.imitation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OffPolicyAlgorithm;
import org.sparkbaselines.algos.ddpg.DDPG;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.imitation.ExpertDataset.Options;
import org.sparkbaselines.vec.VecEnvs;

/** The reference's {@code pretrain} for DQN, TD3, SAC and DDPG: behavior cloning of the acting network only. */
class OffPolicyPretrainTest {
    private static final Options QUIET = Options.DEFAULT.withVerbose(0).withSeed(0L);

    /** The cross-entropy under softmax(Q) makes the greedy action the expert's: the clone balances without any RL. */
    @Test
    void dqnClonedFromExpertCartPoleEpisodesBalances() throws IOException {
        DQN model = new DQN("MlpPolicy", "CartPole-v1", DQN.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(0L));
        try (ExpertDataset dataset = ExpertDataset.fromNpz(ExpertFixtures.referenceNpz(), QUIET)) {
            assertSame(model, model.pretrain(dataset, 30, 1e-3, 1e-8, null));
        }
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), 10, true, false, null, null);
        assertTrue(eval.meanReward() >= 450, eval.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"td3", "sac", "ddpg"})
    void continuousActorsCloneTheExpertsTorqueInTheEnvsUnitsAndLeaveTheCriticsAlone(String algo) {
        LongFunction<OffPolicyAlgorithm<?>> make = switch (algo) {
            case "td3" -> seed -> new TD3("MlpPolicy", "Pendulum-v1", TD3.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(seed));
            case "sac" -> seed -> new SAC("MlpPolicy", "Pendulum-v1", SAC.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(seed));
            default -> seed -> new DDPG("MlpPolicy", "Pendulum-v1", DDPG.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(seed));
        };
        OffPolicyAlgorithm<?> model = make.apply(0L);
        LinkedHashMap<String, float[]> before = model.getParameters();
        TrajectoryData expert = ExpertFixtures.record(Envs.make("Pendulum-v1"), ExpertFixtures.LINEAR_PENDULUM_EXPERT, 10, 0);
        TrajectoryData unseen = ExpertFixtures.record(Envs.make("Pendulum-v1"), ExpertFixtures.LINEAR_PENDULUM_EXPERT, 2, 99);
        double errorBefore = meanSquaredError(model, unseen);
        try (ExpertDataset dataset = new ExpertDataset(expert, QUIET)) {
            model.pretrain(dataset, 30, 1e-3, 1e-8, null);
        }
        double errorAfter = meanSquaredError(model, unseen);

        // The expert's torques spread over +-2 (variance about 1); the clone's error on unseen states is a small part of it.
        assertTrue(errorAfter < 0.05 && errorAfter < errorBefore / 10, algo + ": squared error " + errorBefore + " -> " + errorAfter);
        for (Map.Entry<String, float[]> p : model.getParameters().entrySet()) {
            boolean actor = p.getKey().startsWith("model/pi/");
            if (!actor) {
                assertArrayEquals(before.get(p.getKey()), p.getValue(), p.getKey() + " is not the actor's: pretraining leaves it");
            }
        }
    }

    @Test
    void aDatasetOfOtherSpacesIsRefusedByName() throws IOException {
        TD3 model = new TD3("MlpPolicy", "Pendulum-v1", TD3.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(0L));
        try (ExpertDataset cartPole = ExpertDataset.fromNpz(ExpertFixtures.referenceNpz(), QUIET)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.pretrain(cartPole));
            assertTrue(e.getMessage().contains("observation"), e.getMessage());
        }
    }

    /** The mean squared torque error of the model's deterministic actions against the expert's recorded ones. */
    private static double meanSquaredError(OffPolicyAlgorithm<?> model, TrajectoryData data) {
        float[][] predicted = model.predict(data.observations(), true);
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i][0] - data.actions()[i][0];
            sum += d * d;
        }
        assertEquals(data.observations().length, predicted.length);
        return sum / predicted.length;
    }
}
