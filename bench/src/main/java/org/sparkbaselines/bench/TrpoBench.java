package org.sparkbaselines.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.gail.GAIL;
import org.sparkbaselines.algos.trpo.TRPO;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.rollout.RolloutSource;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.rollout.SparkRolloutSource;
import org.sparkbaselines.vec.VecEnvs;

/**
 * TRPO and GAIL wall time on CartPole-v1, in process (one env) and with two executor workers of one env each (the
 * reference's MPI workers: each iteration twice the steps): TRPO with the zoo's settings for 500k steps, GAIL with
 * TRPO's defaults for 400k steps from the 10 trajectories of {@code data/expert_cartpole.npz}; with the evaluation each
 * reaches (10 deterministic episodes). The peer (Stable-Baselines3) has neither algorithm, so there is no ratio. Runs on
 * the embedded default master (local[*]). Not a test. Run: {@code bin/bench trpo [seeds]}.
 */
public final class TrpoBench {
    private static final Map<String, Object> ZOO_CARTPOLE = Map.of("timesteps_per_batch", 512, "max_kl", 0.001, "cg_iters", 10,
            "cg_damping", 1e-3, "entcoeff", 0.0, "gamma", 0.99, "lam", 1.0, "vf_iters", 3, "vf_stepsize", 1e-4);

    /** Builds the model of one run on its env or rollout source. */
    private interface Workload {
        BaseAlgorithm<?> create(Object env, long seed) throws Exception;
    }

    private TrpoBench() {
    }

    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path npz = shipped("data/expert_cartpole.npz");
        SparkSession spark = SparkSessions.getOrCreate("trpo-bench");
        try {
            BenchTable table = new BenchTable("TRPO and GAIL, CartPole-v1 (" + spark.sparkContext().master() + ")");
            Workload trpo = (env, seed) -> new TRPO("MlpPolicy", env, TRPO.Config.DEFAULT.with(ZOO_CARTPOLE), AlgorithmOptions.DEFAULT.withSeed(seed));
            Workload gail = (env, seed) -> {
                GAIL model = new GAIL("MlpPolicy", env, null, Map.of(), AlgorithmOptions.DEFAULT.withSeed(seed));
                try (ExpertDataset dataset = ExpertDataset.fromNpz(npz, ExpertDataset.Options.DEFAULT.withVerbose(0))) {
                    model.setExpertData(dataset);
                }
                return model;
            };
            rows(table, spark, "TRPO zoo 500k", trpo, 500_000, seeds);
            rows(table, spark, "GAIL 400k, 10 expert trajectories", gail, 400_000, seeds);
            table.print();
        } finally {
            spark.stop();
        }
    }

    private static void rows(BenchTable table, SparkSession spark, String name, Workload workload, long steps, int seeds) throws Exception {
        for (boolean executors : new boolean[] {false, true}) {
            double[] seconds = new double[seeds];
            double[] rewards = new double[seeds];
            for (int seed = 0; seed < seeds; seed++) {
                try (RolloutSource source = executors ? new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 1, (long) seed) : null) {
                    BaseAlgorithm<?> model = workload.create(source != null ? source : VecEnvs.makeVecEnv("CartPole-v1", 1, (long) seed), seed);
                    long start = System.nanoTime();
                    model.learn(steps);
                    seconds[seed] = (System.nanoTime() - start) / 1e9;
                    rewards[seed] = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L + seed), 10, true, false,
                            null, null).meanReward();
                }
                System.out.printf("%s, %s, seed %d: %.2f s, eval %.1f%n", name, executors ? "2 executors" : "in process", seed, seconds[seed],
                        rewards[seed]);
            }
            String where = executors ? ", 2 executor workers" : ", in process";
            table.time(name + where + " (median)", BenchTable.median(seconds) * 1000, "ms", Double.NaN);
            table.rate(name + where + ", steps/s", steps / BenchTable.median(seconds), "steps/s", Double.NaN);
            table.rate(name + where + ", median eval reward", BenchTable.median(rewards), "reward", Double.NaN);
        }
    }

    /** A file of the repository, found by walking up from the working directory. */
    private static Path shipped(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath());
    }
}
