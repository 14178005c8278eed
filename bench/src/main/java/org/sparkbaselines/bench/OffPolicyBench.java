package org.sparkbaselines.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/**
 * The off-policy workloads of the peer figures, each over seeds 0..N-1 with its deterministic evaluation (10 episodes):
 * DQN with the RL zoo's CartPole-v1 settings as SB3 ran them (50k steps, [256, 256], train_freq 256 with 128 gradient
 * steps; SB3's DQN has neither the dueling head nor double Q, so they are off here too), then the same with the
 * reference's defaults for those two switched on, and {@code predict} for one observation; TD3 and SAC on Pendulum-v1
 * for 20k steps with the peer rows' settings. Seeds run one after the other in this JVM (the first pays the JIT). Not a
 * test. Run: {@code bin/bench offpolicy [seeds] [dqn] [td3] [sac]} (default: 5 seeds, all three).
 */
public final class OffPolicyBench {
    private static final double PEER_DQN_SECONDS = 28.4;
    private static final double PEER_PREDICT_NANOS = 56_000;
    private static final double PEER_TD3_SECONDS = 110;
    /** The middle of SB3's 200-240 s. */
    static final double PEER_SAC_SECONDS = 220;

    private OffPolicyBench() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        java.util.Set<String> workloads = args.length > 1 ? java.util.Set.of(java.util.Arrays.copyOfRange(args, 1, args.length))
                : java.util.Set.of("dqn", "td3", "sac");
        BenchTable table = new BenchTable("Off-policy algorithms (JVM backend), peer: SB3 (../shared/reference/peer-figures.md)");
        if (workloads.contains("dqn")) {
            dqnRows(table, seeds);
        }
        if (workloads.contains("td3")) {
            pendulumRows(table, "TD3 zoo Pendulum 20k ([400, 300], batch 256)", seeds, PEER_TD3_SECONDS, OffPolicyBench::td3);
        }
        if (workloads.contains("sac")) {
            pendulumRows(table, "SAC zoo Pendulum 20k ([256, 256], batch 256)", seeds, PEER_SAC_SECONDS, OffPolicyBench::sac);
        }
        table.print();
    }

    private static void pendulumRows(BenchTable table, String name, int seeds, double peerSeconds,
            java.util.function.LongFunction<BaseAlgorithm<?>> model) {
        double[] seconds = new double[seeds];
        double[] rewards = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            BaseAlgorithm<?> m = model.apply(seed);
            long start = System.nanoTime();
            m.learn(20_000);
            seconds[seed] = (System.nanoTime() - start) / 1e9;
            rewards[seed] = Evaluation.evaluatePolicy(m::predict, VecEnvs.makeVecEnv("Pendulum-v1", 1, 100L), 10, true, false, null, null)
                    .meanReward();
            System.out.printf("%s, seed %d: %.1f s, eval %.1f%n", name, seed, seconds[seed], rewards[seed]);
        }
        table.time(name + ", median wall, ms", BenchTable.median(seconds) * 1000, "ms", peerSeconds * 1000);
        table.rate(name + ", median eval reward", BenchTable.median(rewards), "reward", Double.NaN);
    }

    /** The peer figures' TD3 row: SB3's defaults (batch 256, policy delay 2, target noise 0.2 clipped at 0.5) otherwise. */
    static TD3 td3(long seed) {
        Map<String, Object> hyper = Map.of("learning_rate", 1e-3, "gamma", 0.98, "buffer_size", 200_000, "learning_starts", 10_000,
                "noise_type", "normal", "noise_std", 0.1, "train_freq", 1, "gradient_steps", 1, "batch_size", 256);
        return new TD3("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, seed), TD3.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(Map.of("layers", List.of(400, 300))));
    }

    /** The peer figures' SAC row: lr 1e-3 and SB3's defaults otherwise (buffer 1e6, batch 256, learning_starts 100, ent_coef auto). */
    static SAC sac(long seed) {
        return sac(VecEnvs.makeVecEnv("Pendulum-v1", 1, seed), seed);
    }

    /** {@link #sac(long)} on {@code env}: a Pendulum-v1 VecEnv or actors. */
    static SAC sac(Object env, long seed) {
        Map<String, Object> hyper = Map.of("learning_rate", 1e-3, "buffer_size", 1_000_000, "batch_size", 256, "learning_starts", 100);
        return new SAC("MlpPolicy", env, SAC.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(Map.of("layers", List.of(256, 256))));
    }

    private static void dqnRows(BenchTable table, int seeds) {
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
