package org.sparkbaselines.algos.gail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.imitation.Batch;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.imitation.ExpertBatches;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnvs;

/** GAIL's discriminator against hand computations and finite differences; expert batches; save, load and learn on. */
class GAILTest {
    private static final int ROWS = 5;

    private static float[][] rows(SplittableRandom random, int cols, double low, double high) {
        float[][] out = new float[ROWS][cols];
        for (float[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextDouble(low, high);
            }
        }
        return out;
    }

    private static float[][] discreteActions(SplittableRandom random, int n) {
        float[][] out = new float[ROWS][1];
        for (float[] row : out) {
            row[0] = random.nextInt(n);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"box", "discrete"})
    void discriminatorGradientsMatchFiniteDifferences(String kind) {
        Space actions = kind.equals("box") ? new Box(-2f, 2f, 2) : new Discrete(3);
        Discriminator d = new Discriminator(new Box(-5f, 5f, 3), actions, 6, 0.1, 11);
        SplittableRandom random = new SplittableRandom(kind.hashCode());
        float[][] policyObs = rows(random, 3, -2, 2);
        float[][] expertObs = rows(random, 3, -2, 2);
        float[][] policyActions = kind.equals("box") ? rows(random, 2, -2, 2) : discreteActions(random, 3);
        float[][] expertActions = kind.equals("box") ? rows(random, 2, -2, 2) : discreteActions(random, 3);
        Tape t = new Tape();
        for (Variable v : d.variables()) {
            v.zeroGrad();
        }
        t.backward(d.loss(t, policyObs, policyActions, expertObs, expertActions, ROWS).total());
        int checked = 0;
        for (Variable v : d.variables()) {
            float[] analytic = v.gradient().clone();
            for (int e = 0; e < v.values().length; e++) {
                float saved = v.values()[e];
                double h = 1e-2;
                v.values()[e] = (float) (saved + h);
                double up = d.loss(t, policyObs, policyActions, expertObs, expertActions, ROWS).total().item();
                v.values()[e] = (float) (saved - h);
                double down = d.loss(t, policyObs, policyActions, expertObs, expertActions, ROWS).total().item();
                v.values()[e] = saved;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic[e], 2e-4 + 1e-2 * Math.abs(numeric), kind + " " + v.name() + "[" + e + "]");
                checked++;
            }
        }
        assertTrue(checked > 60, "checked " + checked);
    }

    /** With zero weights every logit is the output bias b: the loss is softplus(b) + softplus(-b) - c H(σ(b)), the reward -log(1 - σ(b) + 1e-8). */
    @Test
    void lossAndRewardEqualTheHandComputationAtAConstantLogit() {
        Discriminator d = new Discriminator(new Box(-5f, 5f, 3), new Discrete(2), 4, 0.25, 3);
        for (Variable v : d.variables()) {
            Arrays.fill(v.values(), 0f);
        }
        float b = 0.7f;
        d.variables().get(d.variables().size() - 1).values()[0] = b;
        SplittableRandom random = new SplittableRandom(5);
        Discriminator.Loss loss = d.loss(new Tape(), rows(random, 3, -1, 1), discreteActions(random, 2), rows(random, 3, -1, 1),
                discreteActions(random, 2), ROWS);
        double sigma = 1 / (1 + Math.exp(-b));
        double entropy = -sigma * Math.log(sigma) - (1 - sigma) * Math.log(1 - sigma);
        assertEquals(Math.log1p(Math.exp(b)), loss.generator().item(), 1e-6);
        assertEquals(Math.log1p(Math.exp(-b)), loss.expert().item(), 1e-6);
        assertEquals(entropy, loss.entropy().item(), 1e-6);
        assertEquals(Math.log1p(Math.exp(b)) + Math.log1p(Math.exp(-b)) - 0.25 * entropy, loss.total().item(), 1e-6);
        double[] rewards = new double[ROWS];
        d.rewards(rows(random, 3, -1, 1), discreteActions(random, 2), ROWS, rewards);
        for (double r : rewards) {
            assertEquals(-Math.log(1 - sigma + 1e-8), r, 1e-6);
        }
    }

    @Test
    void expertBatchesUseEveryTransitionOncePerPass() {
        int n = 10;
        float[][] obs = new float[n][];
        float[][] actions = new float[n][];
        for (int i = 0; i < n; i++) {
            obs[i] = new float[] {i, 0, 0, 0};
            actions[i] = new float[] {i % 2};
        }
        boolean[] starts = new boolean[n];
        starts[0] = true;
        TrajectoryData data = new TrajectoryData(obs, actions, new double[n], new double[] {n}, starts, TrajectoryData.Layout.float32(4, 1));
        try (ExpertDataset dataset = new ExpertDataset(data, ExpertDataset.Options.DEFAULT.withVerbose(0))) {
            ExpertBatches source = ExpertBatches.of(dataset, 1);
            Set<Float> seen = new HashSet<>();
            for (int k = 0; k < 5; k++) {
                Batch batch = source.next(2);
                for (float[] o : batch.observations()) {
                    assertTrue(seen.add(o[0]), "transition " + o[0] + " drawn twice in one pass");
                }
            }
            assertEquals(n, seen.size());
        }
    }

    @Test
    void learningWithoutExpertDataIsRefused() {
        GAIL model = new GAIL("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), null, Map.of("timesteps_per_batch", 64),
                AlgorithmOptions.DEFAULT);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.learn(64));
        assertTrue(e.getMessage().contains("GAIL learns from expert data"), e.getMessage());
    }

    @Test
    void aSavedModelPredictsIdenticallyKeepsItsDiscriminatorAndLearnsOn(@TempDir Path dir) throws Exception {
        try (ExpertDataset dataset = ExpertDataset.fromNpz(Path.of("../../data/expert_cartpole.npz"),
                ExpertDataset.Options.DEFAULT.withVerbose(0))) {
            GAIL model = new GAIL("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), null,
                    Map.of("timesteps_per_batch", 256, "hidden_size_adversary", 16, "d_step", 2), AlgorithmOptions.DEFAULT.withSeed(0L));
            model.setExpertData(dataset);
            model.learn(512);
            BaseAlgorithm<?> loaded = Algorithms.loadAny(model.save(dir.resolve("gail")), VecEnvs.makeVecEnv("CartPole-v1", 1, 1L));
            assertEquals("GAIL", loaded.algorithmName());
            Map<String, float[]> saved = model.getParameters();
            Map<String, float[]> restored = loaded.getParameters();
            assertEquals(saved.keySet(), restored.keySet());
            assertTrue(saved.keySet().containsAll(List.of("adversary/fully_connected/kernel:0", "adversary/obfilter/count:0")));
            saved.forEach((name, values) -> assertArrayEquals(values, restored.get(name), name));
            float[][] obs = {{0.01f, -0.1f, 0.02f, 0.3f}, {-0.2f, 0.4f, 0.1f, -0.6f}};
            float[][] expected = model.predict(obs, true);
            float[][] actual = loaded.predict(obs, true);
            assertArrayEquals(expected[0], actual[0]);
            assertArrayEquals(expected[1], actual[1]);
            GAIL resumed = (GAIL) loaded;
            assertEquals(16, resumed.adversary().hiddenSizeAdversary());
            resumed.setExpertData(dataset);
            resumed.learn(256, null, 1, "GAIL", false);
            assertFalse(Arrays.equals(saved.get("adversary/fully_connected/kernel:0"),
                    resumed.getParameters().get("adversary/fully_connected/kernel:0")), "the discriminator learned on");
        }
    }
}
