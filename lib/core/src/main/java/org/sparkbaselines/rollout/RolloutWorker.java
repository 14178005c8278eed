package org.sparkbaselines.rollout;

import java.util.SplittableRandom;
import java.util.UUID;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecStepResult;

/**
 * Steps a VecEnv with an {@link Actor} and records a {@link RolloutFragment}: the one stepping loop of every
 * rollout source and every off-policy actor. Keeps its envs, their last observations and its own random stream
 * between iterations, so episodes continue across policy updates. A time-out is not a terminal state: the
 * fragment carries the value of the cut-off state for an on-policy learner to bootstrap from.
 */
public final class RolloutWorker implements AutoCloseable {
    private final int workerId;
    private final VecEnv env;
    private SplittableRandom random;
    private final int nEnvs;
    private final float[][] lastObs;
    private final boolean[] lastEpisodeStarts;
    private final float[][] actions;
    private final float[][] envActions;
    private final float[][] terminal = new float[1][];
    private final float[] values;
    private final float[] logProbs;
    private final float[] terminalValue = new float[1];
    private boolean started;
    private final long incarnation = UUID.randomUUID().getLeastSignificantBits();
    private long fragmentsCollected;

    public RolloutWorker(int workerId, VecEnv env, SplittableRandom random) {
        this.workerId = workerId;
        this.env = env;
        this.random = random;
        this.nEnvs = env.numEnvs();
        int obsDim = env.observationSpace().flatDim();
        int actionDim = env.actionSpace().flatDim();
        lastObs = new float[nEnvs][obsDim];
        lastEpisodeStarts = new boolean[nEnvs];
        actions = new float[nEnvs][actionDim];
        envActions = new float[nEnvs][actionDim];
        values = new float[nEnvs];
        logProbs = new float[nEnvs];
    }

    public int workerId() {
        return workerId;
    }

    public VecEnv env() {
        return env;
    }

    /** Samples actions from {@code random} from the next {@link #collect} on. */
    public void useRandom(SplittableRandom random) {
        this.random = random;
    }

    /**
     * Whether this worker's envs are exactly where the fragment ({@code incarnation}, {@code sequence})
     * left them: this worker produced it and nothing since. A copy that another fragment has superseded
     * must not resume, or it would splice its old episodes onto the new ones.
     */
    public boolean continues(long incarnation, long sequence) {
        return incarnation == this.incarnation && sequence == fragmentsCollected;
    }

    /** Runs {@code nSteps} steps of every env with the policy sampling actions (see {@link #collect(Actor, long, int, StepListener)}). */
    public RolloutFragment collect(ActorCriticPolicy policy, long policyVersion, int nSteps, StepListener listener) {
        return collect(new PolicyActor(policy), policyVersion, nSteps, listener);
    }

    /**
     * Runs {@code nSteps} steps of every env with {@code actor} choosing the actions; {@code listener} (may be null)
     * hears each step and can stop the rollout (then null is returned).
     */
    public RolloutFragment collect(Actor actor, long policyVersion, int nSteps, StepListener listener) {
        boolean fresh = !started;
        if (!started) {
            float[][] obs = env.reset();
            for (int i = 0; i < nEnvs; i++) {
                System.arraycopy(obs[i], 0, lastObs[i], 0, obs[i].length);
                actor.episodeStarted(i);
            }
            java.util.Arrays.fill(lastEpisodeStarts, true);
            started = true;
        }
        RolloutFragment f = new RolloutFragment(workerId, policyVersion, nSteps, nEnvs, lastObs[0].length, actions[0].length);
        f.startedFresh = fresh;
        f.incarnation = incarnation;
        f.sequence = ++fragmentsCollected;
        for (int t = 0; t < nSteps; t++) {
            actor.act(lastObs, nEnvs, random, actions, envActions, values, logProbs);
            VecStepResult r = env.step(envActions);
            if (listener != null && !listener.afterStep(r)) {
                return null;
            }
            for (int i = 0; i < nEnvs; i++) {
                int row = t * nEnvs + i;
                System.arraycopy(lastObs[i], 0, f.observations[row], 0, lastObs[i].length);
                System.arraycopy(actions[i], 0, f.actions[row], 0, actions[i].length);
                f.episodeStarts[row] = lastEpisodeStarts[i];
                f.values[row] = values[i];
                f.logProbs[row] = logProbs[i];
                f.terminated[row] = r.terminated()[i];
                f.truncated[row] = r.truncated()[i];
                f.rewards[row] = r.rewards()[i];
                if (r.dones()[i]) {
                    terminal[0] = (float[]) r.infos()[i].get(Infos.TERMINAL_OBSERVATION);
                    f.terminalObservations[row] = terminal[0];
                    if (r.infos()[i].get(Infos.EPISODE) instanceof EpisodeInfo e) {
                        f.episodes[row] = e;
                    }
                    if (r.truncated()[i] && !r.terminated()[i] && terminal[0] != null) {
                        actor.predictValues(terminal, 1, terminalValue);
                        f.bootstrapValues[row] = terminalValue[0];
                    }
                    actor.episodeStarted(i);
                }
                System.arraycopy(r.obs()[i], 0, lastObs[i], 0, lastObs[i].length);
                lastEpisodeStarts[i] = r.dones()[i];
            }
        }
        actor.predictValues(lastObs, nEnvs, f.lastValues);
        for (int i = 0; i < nEnvs; i++) {
            System.arraycopy(lastObs[i], 0, f.lastObservations[i], 0, lastObs[i].length);
        }
        System.arraycopy(lastEpisodeStarts, 0, f.lastEpisodeStarts, 0, nEnvs);
        return f;
    }

    @Override
    public void close() {
        env.close();
    }
}
