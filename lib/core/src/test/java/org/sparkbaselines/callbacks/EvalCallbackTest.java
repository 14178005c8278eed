package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.vec.DummyVecEnv;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecMonitor;
import org.sparkbaselines.vec.VecNormalize;

class EvalCallbackTest {
    private static final int EVAL_FREQ = 8;
    private static final int EPISODES = 3;

    private static VecEnv evalCartPole() {
        return VecEnvs.makeVecEnv("CartPole-v1", 1, 42L);
    }

    @Test
    void evaluatesEveryEvalFreqCallsAndWritesTheEvaluationsAndTheBestModel(@TempDir Path dir) throws IOException {
        EvalCallback eval = EvalCallback.builder(evalCartPole())
                .nEvalEpisodes(EPISODES)
                .evalFreq(EVAL_FREQ)
                .logPath(dir.resolve("logs"))
                .bestModelSavePath(dir.resolve("best"))
                .verbose(0)
                .build();
        List<Object> loggedMeans = new ArrayList<>();
        BaseCallback loggerProbe = new BaseCallback() {
            @Override
            protected boolean atStep() {
                if (nCalls % EVAL_FREQ == 0) {
                    loggedMeans.add(logger.getNameToValue().get("eval/mean_reward"));
                }
                return true;
            }
        };
        SmallPpo2.learn(SmallPpo2.onCartPole(), 2 * ROLLOUT, List.of(eval, loggerProbe));

        // 8 calls of 2 envs: an evaluation every 16 timesteps
        assertEquals(List.of(16L, 32L, 48L, 64L), eval.evaluationsTimesteps());
        double[] means = eval.evaluationsResults().stream().mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).toArray();
        assertEquals(Arrays.stream(means).boxed().toList(), loggedMeans);
        assertEquals(means[3], eval.lastMeanReward());
        assertEquals(Arrays.stream(means).max().orElseThrow(), eval.bestMeanReward());

        Map<String, NdArray> saved = Npz.read(dir.resolve("logs/evaluations.npz"));
        assertEquals(List.of("timesteps", "results", "ep_lengths"), List.copyOf(saved.keySet()));
        assertArrayEquals(new int[] {4}, saved.get("timesteps").shape());
        assertArrayEquals(new long[] {16, 32, 48, 64}, saved.get("timesteps").toLongArray());
        assertArrayEquals(new int[] {4, EPISODES}, saved.get("results").shape());
        assertEquals(DType.FLOAT64, saved.get("results").dtype());
        assertArrayEquals(eval.evaluationsResults().get(2), saved.get("results").row(2).toDoubleArray());
        assertArrayEquals(new int[] {4, EPISODES}, saved.get("ep_lengths").shape());
        assertArrayEquals(eval.evaluationsLength().get(1), saved.get("ep_lengths").row(1).toIntArray());

        PPO2 best = PPO2.load(dir.resolve("best/best_model.zip"), null);
        // the first evaluation reaching the best mean, as only a strictly better mean saves
        int bestEvaluation = IntStream.range(0, means.length).reduce((a, b) -> means[b] > means[a] ? b : a).orElseThrow();
        assertEquals(eval.evaluationsTimesteps().get(bestEvaluation), best.numTimesteps());
    }

    @Test
    void copiesTheTrainingNormalizationIntoTheEvalEnv() {
        VecNormalize training = new VecNormalize(VecEnvs.makeVecEnv("CartPole-v1", SmallPpo2.N_ENVS, 0L));
        VecNormalize evaluation = new VecNormalize(evalCartPole(), false, true, false, 10.0, 10.0, 0.99, 1e-8);
        // one evaluation, at the last step: after it the training statistics no longer change
        EvalCallback eval = EvalCallback.builder(evaluation).evalFreq(ROLLOUT / SmallPpo2.N_ENVS).nEvalEpisodes(1).verbose(0).build();
        SmallPpo2.learn(SmallPpo2.on(training), ROLLOUT, eval);
        assertEquals(1, eval.evaluationsTimesteps().size());
        assertArrayEquals(training.obsRms().mean(), evaluation.obsRms().mean());
        assertArrayEquals(training.obsRms().var(), evaluation.obsRms().var());
        assertEquals(training.obsRms().count(), evaluation.obsRms().count());
    }

    @Test
    void noEvaluationBeforeEvalFreqCalls() {
        EvalCallback eval = EvalCallback.builder(evalCartPole()).evalFreq(1000).verbose(0).build();
        SmallPpo2.learn(SmallPpo2.onCartPole(), ROLLOUT, eval);
        assertTrue(eval.evaluationsTimesteps().isEmpty());
        assertEquals(Double.NEGATIVE_INFINITY, eval.bestMeanReward());
    }

    @Test
    void seesWhetherEpisodesAreMonitored() {
        assertTrue(EvalCallback.isMonitored(evalCartPole()));
        assertFalse(EvalCallback.isMonitored(DummyVecEnv.of(Envs.make("CartPole-v1"))));
        assertTrue(EvalCallback.isMonitored(new VecMonitor(DummyVecEnv.of(Envs.make("CartPole-v1")))));
    }

    @Test
    void refusesAnEvalEnvOfSeveralEnvs() {
        VecEnv two = VecEnvs.makeVecEnv("CartPole-v1", 2, 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalCallback.builder(two).build());
        assertTrue(e.getMessage().contains("exactly one env"), e.getMessage());
    }
}
