package org.sparkbaselines.rollout;

import java.util.List;

/**
 * Where an off-policy algorithm's transitions come from when actors collect them while the learner trains: a few
 * workers of one env each, acting with a snapshot of the policy (and its exploration), run in rounds of
 * {@link #stepsPerRound()} steps. A round runs in the background ({@link #start}); the learner picks its fragments up
 * when they are there ({@link #poll}), so it never waits on a round trip per step, and new weights reach the actors
 * once per round (one policy version). In process ({@link LocalActorSource}) or on Spark executors (lib/spark's
 * {@code SparkActorSource}).
 */
public interface ActorSource extends ExperienceSource {

    /** Actors (workers of one env each). */
    int numActors();

    /** Steps each actor takes per round. */
    int stepsPerRound();

    /**
     * Starts a round: every actor, built from {@code actors} where it runs and kept between rounds (its env, episode and
     * exploration noise continue), takes {@code steps} steps acting with {@code snapshot}. Returns at once.
     *
     * @throws IllegalStateException while the previous round has not been polled
     */
    void start(ActorSpec actors, PolicySnapshot snapshot, int steps);

    /**
     * The running round's fragments, one per actor in actor order, once it has finished (and hands them to the
     * recorder); null while it runs, unless {@code wait}, which blocks until it is done.
     *
     * @throws IllegalStateException when no round was started
     */
    List<RolloutFragment> poll(boolean wait);

    /** Whether a round was started and not yet polled to its end. */
    boolean running();
}
