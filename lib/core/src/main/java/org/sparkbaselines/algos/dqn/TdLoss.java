package org.sparkbaselines.algos.dqn;

import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.TapePolicy;

/**
 * DQN's loss on a minibatch, back-propagated into the online network:
 * <pre>
 *   a*   = argmax_a Q(s', a)          (the online net; max over Q_target without double Q)
 *   y    = r + gamma (1 - done) Q_target(s', a*)
 *   loss = mean(w * huber(Q(s, a) - y))
 * </pre>
 * The targets, on a tape of their own, are computed on a second core ({@link PairedWork}) while this core runs the
 * online network forward: the target network does not change within a training phase, so that core keeps its weights
 * in its cache, and the online network's backward pass splits its large products between the cores in turn.
 */
final class TdLoss {
    private final DQNPolicy policy;
    private final ObservationEncoder encoder;
    private final ObservationEncoder targetEncoder;
    private final Tape targetTape = new Tape();
    private final Tape tape = new Tape();
    private final Runnable targetPass = this::computeTargets;
    final ReplayBatch batch;
    private final float[] targets;
    private final int[] actions;
    private float gamma;
    private boolean doubleQ;
    /** {@code Q(s, a) - y} per row, after {@link #run}. */
    Tensor tdError;

    TdLoss(DQNPolicy policy, ReplayBatch batch) {
        this.policy = policy;
        this.batch = batch;
        this.encoder = policy.newEncoder();
        this.targetEncoder = policy.newEncoder();
        this.targets = new float[batch.size()];
        this.actions = new int[batch.size()];
    }

    /** Back-propagates the loss of the minibatch {@link #batch} holds into the online network's gradients; returns the loss. */
    double run(double gamma, boolean doubleQ) {
        this.gamma = (float) gamma;
        this.doubleQ = doubleQ;
        int n = batch.size();
        tape.reset();
        Tensor q;
        boolean forked = PairedWork.fork(targetPass);
        try {
            q = policy.qNet.forward(tape, TapePolicy.input(tape, encoder, batch.observations, n));
        } finally {
            PairedWork.join(targetPass, forked);
        }
        for (int i = 0; i < n; i++) {
            actions[i] = (int) batch.actions[i];
        }
        tdError = tape.subtract(tape.gather(q, actions), tape.column(targets, n));
        Tensor loss = tape.mean(tape.multiply(tape.column(batch.weights, n), tape.huber(tdError, 1f)));
        tape.backward(loss);
        return loss.item();
    }

    private void computeTargets() {
        int n = batch.size();
        targetTape.reset();
        Tensor next = TapePolicy.input(targetTape, targetEncoder, batch.nextObservations, n);
        Tensor qNextTarget = policy.qNetTarget.forward(targetTape, next);
        Tensor qNextOnline = doubleQ ? policy.qNet.forward(targetTape, next) : qNextTarget;
        for (int i = 0; i < n; i++) {
            targets[i] = batch.rewards[i] + gamma * (1 - batch.dones[i]) * qNextTarget.get(i, DQNPolicy.argmax(qNextOnline, i));
        }
    }
}
