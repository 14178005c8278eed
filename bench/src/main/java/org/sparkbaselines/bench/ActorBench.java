package org.sparkbaselines.bench;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.rollout.ActorSource;
import org.sparkbaselines.rollout.LocalActorSource;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.rollout.SparkActorSource;
import org.sparkbaselines.vec.VecEnvs;

/**
 * Off-policy actors: how many transitions per second two actors deliver to the learner (rounds of 50 steps each,
 * acting with the peer figures' SAC policy, [256, 256]), in process and on executors; and the learner's update rate
 * on SAC's peer Pendulum 20k workload in process, with two in-process actors and with two executor actors, with the
 * evaluation each reaches. Runs on the embedded default master (local[*]). Not a test. Run: {@code bin/bench actors [seeds]}.
 */
public final class ActorBench {
    private static final int ACTORS = 2;
    private static final int STEPS_PER_ROUND = SparkActorSource.DEFAULT_STEPS_PER_ROUND;
    private static final long STEPS = 20_000;
    /** SAC's peer settings start learning after 100 steps: one gradient step per env step from there. */
    private static final long UPDATES = STEPS - 100;

    /** Builds the actors of one configuration. */
    private interface Actors {
        ActorSource open();
    }

    private ActorBench() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        SparkSession spark = SparkSessions.getOrCreate("actor-bench");
        try {
            BenchTable table = new BenchTable("Off-policy actors (" + spark.sparkContext().master() + ")");
            Actors local = () -> new LocalActorSource("Pendulum-v1", Map.of(), ACTORS, STEPS_PER_ROUND, 0L);
            Actors executors = () -> new SparkActorSource(spark, "Pendulum-v1", Map.of(), ACTORS, STEPS_PER_ROUND, 0L);
            String acting = ACTORS + " actors x " + STEPS_PER_ROUND + " steps per round, SAC [256, 256] acting";
            table.rate("in process: " + acting, transitionsPerSecond(local), "transitions/s", Double.NaN);
            table.rate("executors:  " + acting, transitionsPerSecond(executors), "transitions/s", Double.NaN);
            learnerRows(table, "SAC peer Pendulum 20k, in process", seeds, null);
            learnerRows(table, "SAC peer Pendulum 20k, 2 in-process actors", seeds, local);
            learnerRows(table, "SAC peer Pendulum 20k, 2 executor actors", seeds, executors);
            table.print();
        } finally {
            spark.stop();
        }
    }

    /** Rounds back to back with nobody training: what the actors alone can deliver. */
    private static double transitionsPerSecond(Actors actors) {
        try (ActorSource source = actors.open()) {
            SAC model = OffPolicyBench.sac(source, 0L);
            // Past learning_starts, so the actors act with the policy rather than at random.
            PolicySnapshot.ExplorationClock clock = new PolicySnapshot.ExplorationClock(1_000_000, ACTORS, 0, 2_000_000, new java.util.HashMap<>());
            PolicySnapshot snapshot = new PolicySnapshot(1, model.getParameters(), clock);
            for (int i = 0; i < 20; i++) {
                source.start(model.actorSpec(), snapshot, STEPS_PER_ROUND);
                source.poll(true);
            }
            int rounds = 200;
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                source.start(model.actorSpec(), snapshot, STEPS_PER_ROUND);
                source.poll(true);
            }
            return (double) rounds * ACTORS * STEPS_PER_ROUND / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void learnerRows(BenchTable table, String name, int seeds, Actors actors) {
        double[] seconds = new double[seeds];
        double[] rewards = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            try (ActorSource source = actors == null ? null : actors.open()) {
                SAC model = source == null ? OffPolicyBench.sac(seed) : OffPolicyBench.sac(source, seed);
                long start = System.nanoTime();
                model.learn(STEPS);
                seconds[seed] = (System.nanoTime() - start) / 1e9;
                rewards[seed] = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("Pendulum-v1", 1, 100L), 10, true, false, null, null)
                        .meanReward();
            }
            System.out.printf("%s, seed %d: %.1f s, eval %.1f%n", name, seed, seconds[seed], rewards[seed]);
        }
        double median = BenchTable.median(seconds);
        table.rate(name + ", learner updates/s (median)", UPDATES / median, "updates/s", UPDATES / OffPolicyBench.PEER_SAC_SECONDS);
        table.rate(name + ", median eval reward", BenchTable.median(rewards), "reward", Double.NaN);
    }
}
