package org.sparkbaselines.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.vec.VecStepResult;

/**
 * A rollout source whose workers run a whole rollout at once (in process or on Spark executors) and
 * hand back fragments: they are laid side by side in the buffer in worker order, then replayed step
 * by step to the listener so callbacks and episode statistics work as in process. Replayed steps
 * carry rewards, flags and infos (terminal observation, episode summary); their observation rows
 * are the observations the policy acted on.
 */
public abstract class FragmentRolloutSource implements RolloutSource {
    private long policyVersion;
    private RolloutRecorder recorder;
    private VecStepResult replay;

    /** Runs every worker for {@code nSteps} with the policy's current parameters. */
    protected abstract List<RolloutFragment> collectFragments(ActorCriticPolicy policy, long policyVersion, int nSteps);

    @Override
    public final boolean collect(ActorCriticPolicy policy, RolloutBuffer buffer, double gamma, StepListener listener) {
        policyVersion++;
        List<RolloutFragment> fragments = new ArrayList<>(collectFragments(policy, policyVersion, buffer.nSteps()));
        fragments.sort(Comparator.comparingInt(f -> f.workerId));
        buffer.reset();
        int offset = 0;
        for (RolloutFragment f : fragments) {
            buffer.addFragment(f, offset, gamma);
            offset += f.nEnvs;
        }
        if (offset != numEnvs()) {
            throw new IllegalStateException("workers returned " + offset + " envs' fragments, expected " + numEnvs());
        }
        if (recorder != null) {
            recorder.record(fragments);
        }
        return replay(fragments, buffer.nSteps(), listener);
    }

    @Override
    public void recordTo(RolloutRecorder recorder) {
        this.recorder = recorder;
    }

    /** Where complete iterations' fragments go, or null. */
    protected RolloutRecorder recorder() {
        return recorder;
    }

    /** The version the last collected fragments were produced with (one per collect). */
    public long policyVersion() {
        return policyVersion;
    }

    private boolean replay(List<RolloutFragment> fragments, int nSteps, StepListener listener) {
        if (replay == null || replay.numEnvs() != numEnvs()) {
            replay = new VecStepResult(numEnvs(), observationSpace().flatDim());
        }
        for (int t = 0; t < nSteps; t++) {
            int offset = 0;
            for (RolloutFragment f : fragments) {
                for (int e = 0; e < f.nEnvs; e++) {
                    int row = t * f.nEnvs + e;
                    System.arraycopy(f.observations[row], 0, replay.obs()[offset + e], 0, f.observations[row].length);
                    replay.set(offset + e, f.rewards[row], f.terminated[row], f.truncated[row], f.info(row));
                }
                offset += f.nEnvs;
            }
            if (!listener.afterStep(replay)) {
                return false;
            }
        }
        return true;
    }
}
