package org.sparkbaselines.rollout;

import java.util.List;
import java.util.SplittableRandom;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;

/**
 * The default rollout source: one in-process worker stepping the algorithm's VecEnv with the
 * algorithm's random stream. Callbacks hear each step as it happens and can stop mid-rollout.
 */
public final class VecEnvRolloutSource implements RolloutSource {
    private final RolloutWorker worker;
    private long policyVersion;
    private RolloutRecorder recorder;

    public VecEnvRolloutSource(VecEnv env, SplittableRandom random) {
        this.worker = new RolloutWorker(0, env, random);
    }

    public VecEnv env() {
        return worker.env();
    }

    /** Samples actions from {@code random} from the next rollout on; the env carries on where it was. */
    public void useRandom(SplittableRandom random) {
        worker.useRandom(random);
    }

    @Override
    public int numEnvs() {
        return worker.env().numEnvs();
    }

    @Override
    public Space observationSpace() {
        return worker.env().observationSpace();
    }

    @Override
    public Space actionSpace() {
        return worker.env().actionSpace();
    }

    @Override
    public boolean collect(ActorCriticPolicy policy, RolloutBuffer buffer, double gamma, StepListener listener) {
        buffer.reset();
        RolloutFragment fragment = worker.collect(policy, ++policyVersion, buffer.nSteps(), listener);
        if (fragment == null) {
            return false;
        }
        buffer.addFragment(fragment, 0, gamma);
        if (recorder != null) {
            recorder.record(List.of(fragment));
        }
        return true;
    }

    @Override
    public void recordTo(RolloutRecorder recorder) {
        this.recorder = recorder;
    }

    /** The env belongs to the algorithm's caller; closing the source leaves it open. */
    @Override
    public void close() {
    }
}
