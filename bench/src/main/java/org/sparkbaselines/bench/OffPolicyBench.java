package org.sparkbaselines.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/**
 * The off-policy workloads of the peer figures: DQN with the RL zoo's CartPole-v1 settings as SB3 ran them (50k steps,
 * [256, 256], train_freq 256 with 128 gradient steps; SB3's DQN has neither the dueling head nor double Q, so they are
 * off here too) over seeds 0..N-1, each with its deterministic evaluation (10 episodes), then the same with the
 * reference's defaults for those two switched on, and {@code predict} for one observation. Seeds run one after the
 * other in this JVM (the first pays the JIT). Not a test. Run: {@code bin/bench offpolicy [seeds]} (default 5).
 */
public final class OffPolicyBench {
    private static final double PEER_DQN_SECONDS = 28.4;
    private static final double PEER_PREDICT_NANOS = 56_000;

    private OffPolicyBench() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        BenchTable table = new BenchTable("Off-policy algorithms (JVM backend), peer: SB3 (../shared/reference/peer-figures.md)");
        for (boolean extensions : new boolean[] {false, true}) {
            double[] seconds = new double[seeds];
            double[] rewards = new double[seeds];
            String name = "DQN zoo CartPole 50k" + (extensions ? " + dueling, double Q" : " (SB3's network)");
            DQN model = null;
            for (int seed = 0; seed < seeds; seed++) {
                model = dqn(seed, extensions);
                long start = System.nanoTime();
                model.learn(50_000);
                seconds[seed] = (System.nanoTime() - start) / 1e9;
                EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false,
                        null, null);
                rewards[seed] = eval.meanReward();
                System.out.printf("%s, seed %d: %.1f s, eval %.1f%n", name, seed, seconds[seed], rewards[seed]);
            }
            table.time(name + ", median wall, ms", BenchTable.median(seconds) * 1000, "ms", PEER_DQN_SECONDS * 1000);
            table.rate(name + ", median eval reward", BenchTable.median(rewards), "reward", 500);
            if (!extensions) {
                table.time("DQN predict, one observation, [256, 256]", predictNanos(model), "ns", PEER_PREDICT_NANOS);
            }
        }
        table.print();
    }

    public static DQN dqn(long seed, boolean extensions) {
        Map<String, Object> hyper = new LinkedHashMap<>(Map.ofEntries(Map.entry("learning_rate", 2.3e-3), Map.entry("batch_size", 64),
                Map.entry("buffer_size", 100_000), Map.entry("learning_starts", 1000), Map.entry("gamma", 0.99),
                Map.entry("target_network_update_freq", 10), Map.entry("train_freq", 256), Map.entry("gradient_steps", 128),
                Map.entry("exploration_fraction", 0.16), Map.entry("exploration_final_eps", 0.04)));
        hyper.put("double_q", extensions);
        AlgorithmOptions options = AlgorithmOptions.DEFAULT.withSeed(seed)
                .withPolicyKwargs(Map.of("layers", List.of(256, 256), "dueling", extensions));
        return new DQN("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, seed), DQN.Config.DEFAULT.with(hyper), options);
    }

    private static double predictNanos(DQN model) {
        float[] observation = {0.01f, -0.02f, 0.03f, 0.04f};
        for (int i = 0; i < 200_000; i++) {
            model.predict(observation);
        }
        int n = 200_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            model.predict(observation);
        }
        return (System.nanoTime() - start) / (double) n;
    }
}
