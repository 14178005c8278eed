package org.sparkbaselines.spark.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutWorker;
import org.sparkbaselines.rollout.RolloutWorkers;
import org.sparkbaselines.spark.delta.Episode;

/** Real CartPole workers and policy; a worker is replaced mid-run as a fresh executor would rebuild it. */
class EpisodeAssemblerTest {
    private static final int ENVS = 3;
    private static final int STEPS = 40;

    @Test
    void fragmentsBecomeWholeEpisodesAndARebuiltWorkersCutEpisodesAreTruncated() {
        RolloutWorker worker = RolloutWorkers.create("CartPole-v1", Map.of(), 0, ENVS, 5L);
        ActorCriticPolicy policy = new ActorCriticPolicy(worker.env().observationSpace(), worker.env().actionSpace(),
                PolicyKwargs.fromMap(Map.of("backend", "jvm")), 5L);
        EpisodeAssembler assembler = new EpisodeAssembler("test");
        List<RolloutFragment> fragments = new ArrayList<>();
        long version = 0;
        for (int i = 0; i < 4; i++) {
            fragments.add(worker.collect(policy, ++version, STEPS, null));
            assembler.add(fragments.get(fragments.size() - 1));
        }
        worker.close();
        List<Episode> beforeRebuild = assembler.takeFinished();
        worker = RolloutWorkers.create("CartPole-v1", Map.of(), 0, ENVS, 5L);
        RolloutFragment afterRebuild = worker.collect(policy, ++version, STEPS, null);
        assertTrue(afterRebuild.startedFresh);
        fragments.add(afterRebuild);
        assembler.add(afterRebuild);
        List<Episode> cutAndFinished = assembler.takeFinished();
        assembler.closeUnfinished();
        List<Episode> unfinished = assembler.takeFinished();
        worker.close();

        List<Episode> all = new ArrayList<>(beforeRebuild);
        all.addAll(cutAndFinished);
        all.addAll(unfinished);
        assertEquals(5L * STEPS * ENVS, all.stream().mapToLong(Episode::length).sum(), "every collected step is in exactly one episode");
        assertEquals(all.size(), all.stream().mapToLong(Episode::episodeId).distinct().count());

        // CartPole's 500-step limit cannot be reached in 200 steps: truncated here means cut.
        List<Episode> cut = cutAndFinished.stream().filter(e -> !e.terminated() && e.truncated()).toList();
        assertEquals(assembler.cutEpisodes(), cut.size());
        assertTrue(assembler.cutEpisodes() > 0, "CartPole episodes were running when the worker was replaced");
        for (Episode e : cut) {
            assertNull(e.nextObservations()[e.length() - 1], "a cut episode's last next_obs is unknown");
            assertTrue(e.policyVersionAt(e.length() - 1) <= 4);
        }
        for (Episode e : all) {
            assertTrue(e.terminated() || e.truncated(), "every recorded episode ends one way or the other");
            for (int t = 0; t + 1 < e.length(); t++) {
                assertArrayEquals(e.observations()[t + 1], e.nextObservations()[t], "next_obs is the following step's obs");
                assertTrue(e.policyVersionAt(t) <= e.policyVersionAt(t + 1));
            }
        }
        assertTrue(all.stream().anyMatch(e -> e.stepPolicyVersions() != null), "some episodes span policy versions");
        // Episodes the env finished have the Monitor's length and return.
        long checked = 0;
        for (RolloutFragment f : fragments) {
            for (int row = 0; row < f.rows(); row++) {
                if (f.episodes[row] != null && f.terminated[row]) {
                    double ret = f.episodes[row].reward();
                    int len = f.episodes[row].length();
                    checked += all.stream().filter(e -> e.terminated() && e.length() == len && Math.abs(e.totalReward() - ret) < 1e-9)
                            .count() > 0 ? 1 : 0;
                }
            }
        }
        assertTrue(checked > 0);
        assertFalse(unfinished.stream().anyMatch(Episode::terminated));
    }
}
