package org.sparkbaselines.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;

/**
 * Off-policy actors in process: the learner takes their transitions in time order (each step's transitions actor by
 * actor), with the right next observations, as many as it asked for, from policy versions that stay close to its own.
 */
class LocalActorSourceTest {

    /** Keeps every round's fragments. */
    private static final class Rounds implements RolloutRecorder {
        final List<List<RolloutFragment>> rounds = new ArrayList<>();

        @Override
        public void record(List<RolloutFragment> fragments) {
            rounds.add(fragments);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theBufferHoldsTheActorsTransitionsStepByStep() {
        int actors = 2;
        int steps = 30;
        try (LocalActorSource source = new LocalActorSource("CartPole-v1", Map.of(), actors, steps, 4L)) {
            DQN model = new DQN("MlpPolicy", source, DQN.Config.DEFAULT.with(Map.of("learning_starts", 50, "buffer_size", 1000)),
                    AlgorithmOptions.DEFAULT.withSeed(4L));
            Rounds rounds = new Rounds();
            model.recordRollouts(rounds);
            model.learn(130);

            assertEquals(130, model.numTimesteps());
            assertEquals(130, model.replayBuffer().size());
            // 130 transitions in rounds of 60: the last round asks each actor for the 5 steps still needed.
            assertEquals(List.of(30, 30, 5), rounds.rounds.stream().map(r -> r.get(0).nSteps).toList());
            Map<String, NdArray> stored = model.replayBuffer().state();
            float[] observations = stored.get("observations").toFloatArray();
            float[] nextObservations = stored.get("next_observations").toFloatArray();
            float[] actions = stored.get("actions").toFloatArray();
            float[] rewards = stored.get("rewards").toFloatArray();
            int index = 0;
            for (List<RolloutFragment> round : rounds.rounds) {
                for (int t = 0; t < round.get(0).nSteps; t++) {
                    for (RolloutFragment f : round) {
                        boolean done = f.terminated[t] || f.truncated[t];
                        float[] next = done ? f.terminalObservations[t] : t + 1 < f.nSteps ? f.observations[t + 1] : f.lastObservations[0];
                        assertArrayEquals(f.observations[t], row(observations, index, 4), "obs of transition " + index);
                        assertArrayEquals(next, row(nextObservations, index, 4), "next obs of transition " + index);
                        assertEquals(f.actions[t][0], actions[index]);
                        assertEquals((float) f.rewards[t], rewards[index]);
                        index++;
                    }
                }
            }
        }
    }

    @Test
    void actorsContinueTheirEpisodesAcrossRoundsAndActWithRecentVersions() {
        try (LocalActorSource source = new LocalActorSource("Pendulum-v1", Map.of(), 2, 50, 1L)) {
            TD3 model = new TD3("MlpPolicy", source, TD3.Config.DEFAULT.with(Map.of("learning_starts", 100)), AlgorithmOptions.DEFAULT.withSeed(1L));
            Rounds rounds = new Rounds();
            model.recordRollouts(rounds);
            model.learn(1000);
            model.learn(200, null, 0, "TD3", false); // a second call continues the versions and the actors' episodes

            List<RolloutFragment> previous = null;
            for (List<RolloutFragment> round : rounds.rounds) {
                long version = round.get(0).policyVersion;
                assertTrue(round.stream().allMatch(f -> f.policyVersion == version));
                if (previous != null) {
                    assertEquals(previous.get(0).policyVersion + 1, version);
                    for (int a = 0; a < 2; a++) {
                        // Pendulum's episodes are 200 steps: a round of 50 never ends one, so each actor's next round starts where it stopped.
                        assertArrayEquals(previous.get(a).lastObservations[0], round.get(a).observations[0]);
                    }
                }
                previous = round;
            }
            assertEquals(12, rounds.rounds.size());
            assertArrayEquals(new int[] {0, 1}, rounds.rounds.get(0).stream().mapToInt(f -> f.workerId).toArray());
        }
    }

    @Test
    void onPolicyAlgorithmsAndVecNormalizeAreRefused() {
        try (LocalActorSource source = new LocalActorSource("CartPole-v1", Map.of(), 1, 10, 0L)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PPO2("MlpPolicy", source, PPO2.Config.DEFAULT,
                    AlgorithmOptions.DEFAULT));
            assertTrue(e.getMessage().contains("rollout workers"), e.getMessage());
        }
        try (LocalActorSource source = new LocalActorSource("CartPole-v1", Map.of(), 1, 10, 0L)) {
            DQN model = new DQN("MlpPolicy", source, DQN.Config.DEFAULT, AlgorithmOptions.DEFAULT);
            model.setEnv(new VecNormalize(VecEnvs.makeVecEnv("CartPole-v1", 1, 0L)));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.learn(20));
            assertTrue(e.getMessage().contains("VecNormalize"), e.getMessage());
        }
    }

    private static float[] row(float[] rows, int index, int dim) {
        float[] out = new float[dim];
        System.arraycopy(rows, index * dim, out, 0, dim);
        return out;
    }
}
