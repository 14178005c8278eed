package org.sparkbaselines.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.spaces.Space;

/**
 * Several rollout workers run one after another in this process: the same layout, seeds and random
 * streams as the Spark executor source, without Spark. What executor rollouts are checked against.
 */
public final class LocalWorkersRolloutSource extends FragmentRolloutSource {
    private final List<RolloutWorker> workers = new ArrayList<>();
    private final int numEnvs;

    /** {@code nWorkers} workers of {@code envsPerWorker} envs of a registered env (see {@link RolloutWorkers}). */
    public LocalWorkersRolloutSource(String envId, Map<String, Object> envKwargs, int nWorkers, int envsPerWorker, long seed) {
        if (nWorkers < 1 || envsPerWorker < 1) {
            throw new IllegalArgumentException("need at least one worker and one env per worker, got " + nWorkers + " x " + envsPerWorker);
        }
        for (int w = 0; w < nWorkers; w++) {
            workers.add(RolloutWorkers.create(envId, envKwargs, w, envsPerWorker, seed));
        }
        numEnvs = nWorkers * envsPerWorker;
    }

    @Override
    protected List<RolloutFragment> collectFragments(ActorCriticPolicy policy, long policyVersion, int nSteps) {
        List<RolloutFragment> fragments = new ArrayList<>(workers.size());
        for (RolloutWorker worker : workers) {
            fragments.add(worker.collect(policy, policyVersion, nSteps, null));
        }
        return fragments;
    }

    @Override
    public int numEnvs() {
        return numEnvs;
    }

    @Override
    public Space observationSpace() {
        return workers.get(0).env().observationSpace();
    }

    @Override
    public Space actionSpace() {
        return workers.get(0).env().actionSpace();
    }

    @Override
    public void close() {
        workers.forEach(RolloutWorker::close);
    }
}
