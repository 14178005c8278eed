package org.sparkbaselines.bench;

import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.env.EnvWrapper;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.Kwargs;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.rollout.LocalWorkersRolloutSource;
import org.sparkbaselines.rollout.RolloutSource;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.rollout.SparkRolloutSource;

/**
 * What executor rollouts cost and when they pay off: the per-iteration overhead of a Spark rollout
 * (broadcast + tasks + gather, one step of one env), and rollout throughput through executors
 * against the same workers in process, for CartPole and for CartPole with an artificial 50 µs per
 * step, at 1 and 2 workers. Runs on the embedded default master (local[*]). Not a test.
 * Run: {@code bin/bench rollout}.
 */
public final class RolloutBench {
    private static final String SLOW_ENV = "SlowCartPole-v1";

    private RolloutBench() {
    }

    public static void main(String[] args) {
        Envs.register(SLOW_ENV, kwargs -> slowCartPole(Kwargs.of(SLOW_ENV, kwargs, Set.of("step_micros")).getInt("step_micros", 50)),
                null);
        SparkSession spark = SparkSessions.getOrCreate("rollout-bench");
        try {
            BenchTable table = new BenchTable("Executor rollouts (" + spark.sparkContext().master() + ")");
            table.time("Spark rollout iteration overhead (1 worker, 1 env, 1 step)", overheadMillis(spark) * 1000, "µs", Double.NaN);
            for (String envId : new String[] {"CartPole-v1", SLOW_ENV}) {
                for (int workers : new int[] {1, 2}) {
                    String layout = envId + ", " + workers + " worker(s) x 4 envs, 256 steps";
                    try (RolloutSource local = new LocalWorkersRolloutSource(envId, Map.of(), workers, 4, 0L);
                         RolloutSource remote = new SparkRolloutSource(spark, envId, Map.of(), workers, 4, 0L)) {
                        table.rate("in process: " + layout, stepsPerSecond(local, 256), "steps/s", Double.NaN);
                        table.rate("executors:  " + layout, stepsPerSecond(remote, 256), "steps/s", Double.NaN);
                    }
                }
            }
            table.print();
        } finally {
            spark.stop();
        }
    }

    /** CartPole that also spins for {@code micros} per step, standing in for a slow simulator. */
    private static org.sparkbaselines.env.Env slowCartPole(int micros) {
        return new EnvWrapper(Envs.make("CartPole-v1")) {
            @Override
            public StepResult step(float[] action) {
                long until = System.nanoTime() + micros * 1000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return env.step(action);
            }
        };
    }

    private static ActorCriticPolicy policy(RolloutSource source) {
        return new ActorCriticPolicy(source.observationSpace(), source.actionSpace(), PolicyKwargs.fromMap(Map.of("backend", "jvm")), 0);
    }

    private static double overheadMillis(SparkSession spark) {
        try (RolloutSource source = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 1, 1, 0L)) {
            ActorCriticPolicy policy = policy(source);
            RolloutBuffer buffer = new RolloutBuffer(1, 1, 4, 1);
            for (int i = 0; i < 30; i++) {
                source.collect(policy, buffer, 0.99, step -> true);
            }
            int n = 100;
            double[] times = new double[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                source.collect(policy, buffer, 0.99, step -> true);
                times[i] = (System.nanoTime() - start) / 1e6;
            }
            return BenchTable.median(times);
        }
    }

    private static double stepsPerSecond(RolloutSource source, int nSteps) {
        ActorCriticPolicy policy = policy(source);
        RolloutBuffer buffer = new RolloutBuffer(nSteps, source.numEnvs(), 4, 1);
        for (int i = 0; i < 5; i++) {
            source.collect(policy, buffer, 0.99, step -> true);
        }
        int iterations = 20;
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            source.collect(policy, buffer, 0.99, step -> true);
        }
        return (double) iterations * nSteps * source.numEnvs() / ((System.nanoTime() - start) / 1e9);
    }
}
