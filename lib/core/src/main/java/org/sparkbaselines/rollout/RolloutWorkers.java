package org.sparkbaselines.rollout;

import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.vec.VecEnvs;

/**
 * How worker {@code w} of a layout of workers x envs is built, wherever it runs: its envs are ranks
 * {@code w * envsPerWorker ..} of a monitored vec env seeded {@code seed + rank}, and its sampling
 * stream is derived from {@code (seed, w)}. The same layout and seed therefore give the same
 * experience in process ({@link LocalWorkersRolloutSource}) and on Spark executors.
 */
public final class RolloutWorkers {
    private RolloutWorkers() {
    }

    public static RolloutWorker create(String envId, Map<String, Object> envKwargs, int workerId, int envsPerWorker, long seed) {
        return new RolloutWorker(workerId,
                VecEnvs.builder(envId).envKwargs(envKwargs).nEnvs(envsPerWorker).seed(seed).startIndex(workerId * envsPerWorker).build(),
                new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (workerId + 1L))));
    }
}
