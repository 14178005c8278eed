package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.vec.CountingEnv;
import org.sparkbaselines.vec.DummyVecEnv;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;

class EvaluationTest {

    @Test
    void aSeedStartsEpisodeIFromAResetWithSeedPlusI() {
        // CountingEnv observes [start + t, ...] with start = the reset seed
        Predictor always0 = (obs, det) -> new float[obs.length][1];
        List<Float> firstObservations = new ArrayList<>();
        EvaluationResult r = Evaluation.evaluatePolicy(always0, DummyVecEnv.of(new CountingEnv(2)), 3, true, false,
                (episode, t, obs, action, reward, done) -> {
                    if (t == 1) {
                        firstObservations.add(obs[0]);
                    }
                }, null, 100L);
        assertEquals(List.of(100f, 101f, 102f), firstObservations);
        assertArrayEquals(new double[] {2, 2, 2}, r.episodeRewards());
    }

    @Test
    void rewardsAndLengthsOfHandCountedEpisodes() {
        // CountingEnv: reward = action + 1, episodes of 4 steps; always action 2 -> reward 12 per episode
        Predictor always2 = (obs, det) -> {
            float[][] a = new float[obs.length][1];
            for (float[] row : a) {
                row[0] = 2;
            }
            return a;
        };
        List<Integer> steps = new ArrayList<>();
        EvaluationResult r = Evaluation.evaluatePolicy(always2, DummyVecEnv.of(new CountingEnv(4)), 3, true, false,
                (episode, t, obs, action, reward, done) -> steps.add(t), null);
        assertEquals(12.0, r.meanReward());
        assertEquals(0.0, r.stdReward());
        assertArrayEquals(new double[] {12, 12, 12}, r.episodeRewards());
        assertArrayEquals(new int[] {4, 4, 4}, r.episodeLengths());
        assertEquals(12, steps.size());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Evaluation.evaluatePolicy(always2, DummyVecEnv.of(new CountingEnv(4)), 2, true, false, null, 12.0));
        assertTrue(e.getMessage().contains("below threshold"));
    }

    @Test
    void randomCartPoleScoresAboutTwentyTwoAndIsSeeded() {
        VecEnv a = VecEnvs.makeVecEnv("CartPole-v1", 1, 0L);
        EvaluationResult first = Evaluation.evaluatePolicy(new RandomPredictor(a.actionSpace(), 0L), a, 200, true, false, null, null);
        assertTrue(first.meanReward() > 17 && first.meanReward() < 28, "random CartPole mean " + first.meanReward());
        assertEquals(first.meanReward(), first.meanLength(), 1e-9);
        VecEnv b = VecEnvs.makeVecEnv("CartPole-v1", 1, 0L);
        EvaluationResult second = Evaluation.evaluatePolicy(new RandomPredictor(b.actionSpace(), 0L), b, 200, true, false, null, null);
        assertArrayEquals(first.episodeRewards(), second.episodeRewards());
    }

    @Test
    void refusesMoreThanOneEnv() {
        VecEnv two = VecEnvs.makeVecEnv("CartPole-v1", 2, 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.evaluatePolicy(new RandomPredictor(two.actionSpace(), 0L), two));
        assertTrue(e.getMessage().contains("exactly one env"));
        assertTrue(Envs.isRegistered("CartPole-v1"));
    }

    @Test
    void globalSeedsMakeUnseededRunsRepeatable() {
        Seeding.setGlobalSeeds(123);
        float[] first = Envs.make("CartPole-v1").reset();
        float[] sample = new org.sparkbaselines.spaces.Box(-1f, 1f, 3).sample();
        Seeding.setGlobalSeeds(123);
        assertArrayEquals(first, Envs.make("CartPole-v1").reset());
        assertArrayEquals(sample, new org.sparkbaselines.spaces.Box(-1f, 1f, 3).sample());
    }
}
