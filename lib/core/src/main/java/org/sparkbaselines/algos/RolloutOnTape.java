package org.sparkbaselines.algos;

import java.util.Arrays;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.policies.ActorCriticOnTape;

/**
 * A rollout as the updates written on the tape read it (TRPO, PPO1, GAIL): its observation rows, the actions row-major, the
 * advantages standardized over the whole rollout (the reference's MPI algorithms do so, not per minibatch), the TD(λ)
 * returns, and the distribution the rollout's policy had (the reference's {@code oldpi}): its parameters, log std and the
 * actions' log-probabilities, computed once on the tape before the update moves the policy. Arrays are reused while
 * the rollout size stays the same.
 */
public final class RolloutOnTape {
    private int size;
    private int actionDim;
    private int paramDim;
    private float[][] observations = new float[0][];
    private float[] actions = new float[0];
    private float[] advantages = new float[0];
    private float[] returns = new float[0];
    private float[] oldLogProb = new float[0];
    private float[] oldParams = new float[0];
    private float[] oldLogStd;

    /** Reads {@code rollout}, with the policy's current parameters in {@code onTape} as the old policy, on {@code t} (reset first). */
    public void take(RolloutBuffer rollout, ActorCriticOnTape onTape, Tape t) {
        size = rollout.size();
        actionDim = rollout.actions()[0].length;
        if (observations.length != size || actions.length != size * actionDim) {
            observations = new float[size][];
            actions = new float[size * actionDim];
            advantages = new float[size];
            returns = new float[size];
            oldLogProb = new float[size];
        }
        for (int i = 0; i < size; i++) {
            observations[i] = rollout.observations()[i];
            System.arraycopy(rollout.actions()[i], 0, actions, i * actionDim, actionDim);
        }
        System.arraycopy(rollout.advantages(), 0, advantages, 0, size);
        OnPolicyAlgorithm.standardize(advantages, size);
        System.arraycopy(rollout.returns(), 0, returns, 0, size);
        t.reset();
        ActorCriticOnTape.Outputs old = onTape.forwardPolicy(t, onTape.input(t, observations, size));
        paramDim = old.params().cols();
        if (oldParams.length != size * paramDim) {
            oldParams = new float[size * paramDim];
        }
        System.arraycopy(old.params().values(), 0, oldParams, 0, size * paramDim);
        oldLogStd = old.logStd() == null ? null : Arrays.copyOf(old.logStd().values(), old.logStd().cols());
        Tensor logProb = onTape.distribution().logProb(t, old.params(), old.logStd(), t.constant(actions, size, actionDim));
        System.arraycopy(logProb.values(), 0, oldLogProb, 0, size);
    }

    public int size() {
        return size;
    }

    public int actionDim() {
        return actionDim;
    }

    /** The observation rows (the rollout buffer's own arrays). */
    public float[][] observations() {
        return observations;
    }

    /** The actions, row-major. */
    public float[] actions() {
        return actions;
    }

    public float[] advantages() {
        return advantages;
    }

    public float[] returns() {
        return returns;
    }

    public float[] oldLogProb() {
        return oldLogProb;
    }

    /** The old policy's distribution parameters as a constant on {@code t}. */
    public Tensor oldParams(Tape t) {
        return t.constant(oldParams, size, paramDim);
    }

    /** The old policy's log std as a constant on {@code t}, or null when the distribution has none. */
    public Tensor oldLogStd(Tape t) {
        return oldLogStd == null ? null : t.constant(oldLogStd, 1, oldLogStd.length);
    }
}
