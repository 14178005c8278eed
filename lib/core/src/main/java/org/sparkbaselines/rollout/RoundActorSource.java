package org.sparkbaselines.rollout;

import java.util.List;

/**
 * What every {@link ActorSource} shares: at most one round on its way, started without waiting, polled for its
 * fragments, which go to the recorder when taken. Subclasses say how a round runs (a background thread, a Spark job).
 */
public abstract class RoundActorSource implements ActorSource {

    /** One round on its way. */
    public interface Round {
        boolean isDone();

        /** Waits for the round's fragments, one per actor in actor order; a failed round is an error with its cause. */
        List<RolloutFragment> gather();
    }

    private RolloutRecorder recorder;
    private Round round;

    /** Starts every actor on {@code steps} steps with {@code snapshot}, returning at once. */
    protected abstract Round startRound(ActorSpec actors, PolicySnapshot snapshot, int steps);

    @Override
    public final void start(ActorSpec actors, PolicySnapshot snapshot, int steps) {
        if (round != null) {
            throw new IllegalStateException("a round is still running; poll it first");
        }
        round = startRound(actors, snapshot, steps);
    }

    @Override
    public final List<RolloutFragment> poll(boolean wait) {
        if (round == null) {
            throw new IllegalStateException("no round was started");
        }
        if (!wait && !round.isDone()) {
            return null;
        }
        List<RolloutFragment> fragments;
        try {
            fragments = round.gather();
        } finally {
            round = null;
        }
        if (recorder != null) {
            recorder.record(fragments);
        }
        return fragments;
    }

    @Override
    public final boolean running() {
        return round != null;
    }

    @Override
    public final void recordTo(RolloutRecorder recorder) {
        this.recorder = recorder;
    }

    /** Where taken rounds go, or null. */
    protected final RolloutRecorder recorder() {
        return recorder;
    }

    /** Waits for a round still running (its actors' envs are in use) and drops it: the source is being closed. */
    protected final void dropRunningRound() {
        if (round != null) {
            try {
                round.gather();
            } catch (RuntimeException e) {
                // Closing: a failed last round leaves nothing to keep.
            } finally {
                round = null;
            }
        }
    }
}
