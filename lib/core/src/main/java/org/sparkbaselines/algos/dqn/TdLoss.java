package org.sparkbaselines.algos.dqn;

import java.util.List;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.TapePolicy;

/**
 * DQN's loss on one part of a minibatch, on tapes of its own, so that the two halves of a minibatch can run on two
 * cores at once (each into its own gradients of the online network, added afterwards):
 * <pre>
 *   a*   = argmax_a Q(s', a)          (the online net; max over Q_target without double Q)
 *   y    = r + gamma (1 - done) Q_target(s', a*)
 *   loss = sum(w * huber(Q(s, a) - y)) / batchSize
 * </pre>
 * Summed over the parts, {@code loss} is the minibatch's mean, and so are its gradients.
 */
final class TdLoss implements Runnable {
    private final DQNPolicy policy;
    private final QNetwork online;
    private final ObservationEncoder encoder;
    private final Tape targetTape = new Tape();
    private final Tape tape = new Tape();
    final ReplayBatch batch;
    private final float[] targets;
    private final int[] actions;
    private float gamma;
    private boolean doubleQ;
    private int batchSize;
    /** {@code Q(s, a) - y} per row, after {@link #run}. */
    Tensor tdError;
    /** This part's share of the minibatch's loss, after {@link #run}. */
    double loss;

    /**
     * @param online the network the gradients go into: the policy's online network, or a {@link QNetwork#sharingValues}
     *        copy of it
     */
    TdLoss(DQNPolicy policy, QNetwork online, ReplayBatch batch) {
        this.policy = policy;
        this.online = online;
        this.batch = batch;
        this.encoder = policy.newEncoder();
        this.targets = new float[batch.size()];
        this.actions = new int[batch.size()];
    }

    /** The online network's variables this part's gradients go into. */
    List<Variable> variables() {
        return online.variables();
    }

    /** Sets what the next {@link #run} uses; {@code batchSize} is the whole minibatch's (all parts). */
    void prepare(double gamma, boolean doubleQ, int batchSize) {
        this.gamma = (float) gamma;
        this.doubleQ = doubleQ;
        this.batchSize = batchSize;
    }

    @Override
    public void run() {
        int n = batch.size();
        targetTape.reset();
        Tensor next = TapePolicy.input(targetTape, encoder, batch.nextObservations, n);
        Tensor qNextTarget = policy.qNetTarget.forward(targetTape, next);
        Tensor qNextOnline = doubleQ ? online.forward(targetTape, next) : qNextTarget;
        for (int i = 0; i < n; i++) {
            targets[i] = batch.rewards[i] + gamma * (1 - batch.dones[i]) * qNextTarget.get(i, DQNPolicy.argmax(qNextOnline, i));
            actions[i] = (int) batch.actions[i];
        }
        tape.reset();
        Tensor q = online.forward(tape, TapePolicy.input(tape, encoder, batch.observations, n));
        tdError = tape.subtract(tape.gather(q, actions), tape.column(targets, n));
        Tensor partLoss = tape.scale(tape.sum(tape.multiply(tape.column(batch.weights, n), tape.huber(tdError, 1f))), 1f / batchSize);
        tape.backward(partLoss);
        loss = partLoss.item();
    }
}
