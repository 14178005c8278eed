package org.sparkbaselines.spark.rollout;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.rollout.ActorSource;
import org.sparkbaselines.rollout.ActorSpec;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.spaces.Space;

/**
 * Off-policy actors on Spark executors: {@code nActors} tasks of one env each, kept alive between rounds on their
 * executors with their env, episode and exploration noise (as {@link SparkRolloutSource}'s workers are). A round
 * (one policy version, broadcast once) is a Spark job the driver starts without waiting; the learner trains on the
 * previous round's transitions meanwhile and picks the new ones up when the job has finished, so a Spark round trip
 * (15–19 ms in {@code local[2]}) costs the learner nothing as long as a round's transitions take it longer to train
 * on. The same layout and seed build the same actors as {@link org.sparkbaselines.rollout.LocalActorSource}.
 */
public final class SparkActorSource implements ActorSource {
    /** Steps each actor takes per round by default. */
    public static final int DEFAULT_STEPS_PER_ROUND = 50;

    private final ExecutorRounds rounds;
    private final int stepsPerRound;
    private RolloutRecorder recorder;
    private ExecutorRounds.Round round;

    /**
     * @param nActors actors, each one env of {@code envId} (rank = actor id, seeded {@code seed + rank})
     * @param stepsPerRound steps each actor takes per round, i.e. per policy version
     */
    public SparkActorSource(SparkSession spark, String envId, Map<String, Object> envKwargs, int nActors, int stepsPerRound, long seed) {
        if (stepsPerRound < 1) {
            throw new IllegalArgumentException("actors need at least one step per round, got " + stepsPerRound);
        }
        this.rounds = new ExecutorRounds(spark, envId, envKwargs, nActors, 1, seed);
        this.stepsPerRound = stepsPerRound;
    }

    @Override
    public int numActors() {
        return rounds.nWorkers();
    }

    @Override
    public int stepsPerRound() {
        return stepsPerRound;
    }

    @Override
    public void start(ActorSpec actors, PolicySnapshot snapshot, int steps) {
        if (round != null) {
            throw new IllegalStateException("a round is still running; poll it first");
        }
        round = rounds.start(actors, snapshot, steps, recorder);
    }

    @Override
    public List<RolloutFragment> poll(boolean wait) {
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
    public boolean running() {
        return round != null;
    }

    @Override
    public void recordTo(RolloutRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public Space observationSpace() {
        return rounds.observationSpace();
    }

    @Override
    public Space actionSpace() {
        return rounds.actionSpace();
    }

    /** This run's key for its executor-side actors. */
    String runId() {
        return rounds.runId();
    }

    /** Waits for a running round, then releases the actors on every executor that holds some. */
    @Override
    public void close() {
        if (round != null) {
            try {
                round.gather();
            } catch (RuntimeException e) {
                // The run is over; a failed last round leaves nothing to keep.
            } finally {
                round = null;
            }
        }
        rounds.close();
    }
}
