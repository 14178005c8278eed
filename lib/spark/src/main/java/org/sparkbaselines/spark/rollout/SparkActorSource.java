package org.sparkbaselines.spark.rollout;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.rollout.ActorSpec;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.rollout.RoundActorSource;
import org.sparkbaselines.spaces.Space;

/**
 * Off-policy actors on Spark executors: {@code nActors} tasks of one env each, kept alive between rounds on their
 * executors with their env, episode and exploration noise (as {@link SparkRolloutSource}'s workers are). A round
 * (one policy version, broadcast once) is a Spark job the driver starts without waiting; the learner trains on the
 * previous round's transitions meanwhile and picks the new ones up when the job has finished, so a Spark round trip
 * (15–19 ms in {@code local[2]}) costs the learner nothing as long as a round's transitions take it longer to train
 * on. The same layout and seed build the same actors as {@link org.sparkbaselines.rollout.LocalActorSource}.
 */
public final class SparkActorSource extends RoundActorSource {
    /** Steps each actor takes per round by default. */
    public static final int DEFAULT_STEPS_PER_ROUND = 50;

    private final ExecutorRounds rounds;
    private final int stepsPerRound;

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
    protected Round startRound(ActorSpec actors, PolicySnapshot snapshot, int steps) {
        return rounds.start(actors, snapshot, steps, recorder());
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
        dropRunningRound();
        rounds.close();
    }
}
