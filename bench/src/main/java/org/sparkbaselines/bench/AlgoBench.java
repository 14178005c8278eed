package org.sparkbaselines.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.ppo2.ClippedSurrogateLoss;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.vec.VecEnvs;

/**
 * The algorithm workloads of the peer figures, per network backend: PPO2 with the zoo's CartPole
 * settings (100k steps), PPO2 defaults with one env, A2C defaults with 8 envs, {@code predict} for
 * one observation, and one PPO minibatch update (both CartPole networks, loss head, clipping, Adam).
 * Updates and training runs each get a fresh JVM (with this one's options), so no workload's JIT
 * state flatters or slows another. Not a test. Run: {@code bin/bench algo [--no-learn] [backend ...]} (default: jvm nd4j); {@code --no-learn}
 * skips the 100k-step training runs (minutes each on the ND4J backend).
 */
public final class AlgoBench {
    private static final Map<String, Object> ZOO = Map.of("n_steps", 32, "nminibatches", 1, "lam", 0.8, "gamma", 0.98, "noptepochs", 20,
            "ent_coef", 0.0, "learning_rate", "lin_0.001", "cliprange", "lin_0.2");

    private static final String CHILD_UPDATE = "--child-update";
    private static final String CHILD_LEARN = "--child-learn";

    private AlgoBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals(CHILD_UPDATE)) {
            System.out.println(minibatchUpdateMicros(args[1], Integer.parseInt(args[2])));
            return;
        }
        if (args.length == 4 && args[0].equals(CHILD_LEARN)) {
            System.out.println(learnRuns(args[1], args[2], Integer.parseInt(args[3])));
            return;
        }
        boolean learn = !java.util.Arrays.asList(args).contains("--no-learn");
        String[] named = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        String[] backends = named.length > 0 ? named : new String[] {"jvm", "nd4j"};
        for (String backend : backends) {
            BenchTable table = new BenchTable("Algorithms on CartPole-v1, backend " + backend);
            AlgorithmOptions options = AlgorithmOptions.DEFAULT.withSeed(0L).withPolicyKwargs(Map.of("backend", backend));
            for (int batch : new int[] {64, 256}) {
                table.time("one PPO minibatch update, B=" + batch + " (both nets, loss, clip, Adam)", updateMicrosInFreshJvm(backend, batch),
                        "µs", batch == 256 ? 1370 : Double.NaN);
            }
            table.time("predict, one observation", predictMicros(options) * 1000, "ns", 63_000);
            if (!learn) {
                table.print();
                continue;
            }
            // Each training workload in a JVM that has run nothing else (what `bin/sb train` pays); the zoo run
            // then again in the same JVM, its code compiled: what a long job or a service sees after its first minute.
            double[] zoo = learnInFreshJvm(backend, "ppo2-zoo", 2);
            addLearnRows(table, "PPO2 zoo 100k, fresh JVM", zoo[0], zoo[1], 13.2);
            addLearnRows(table, "PPO2 zoo 100k, warm JVM (second run)", zoo[2], zoo[3], 13.2);
            double[] ppo2 = learnInFreshJvm(backend, "ppo2-defaults", 1);
            addLearnRows(table, "PPO2 defaults 100k (1 env), fresh JVM", ppo2[0], ppo2[1], 31.0);
            double[] a2c = learnInFreshJvm(backend, "a2c-defaults", 1);
            addLearnRows(table, "A2C defaults 100k (8 envs), fresh JVM", a2c[0], a2c[1], 5.5);
            table.print();
        }
    }

    private static double learnSeconds(BaseAlgorithm<?> model) {
        long start = System.nanoTime();
        model.learn(100_000);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double evalMean(BaseAlgorithm<?> model) {
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false,
                null, null);
        return eval.meanReward();
    }

    private static void addLearnRows(BenchTable table, String name, double seconds, double evalMean, double peerSeconds) {
        table.time(name + " learn() wall, ms", seconds * 1000, "ms", peerSeconds * 1000);
        table.rate(name + " fps", 100_000 / seconds, "steps/s", 100_000 / peerSeconds);
        table.rate(name + " eval mean reward (10 episodes)", evalMean, "reward", Double.NaN);
    }

    /** {@code runs} times the named 100k-step workload in this JVM: "seconds eval-mean" per run. */
    private static String learnRuns(String backend, String workload, int runs) {
        AlgorithmOptions options = AlgorithmOptions.DEFAULT.withSeed(0L).withPolicyKwargs(Map.of("backend", backend));
        StringBuilder out = new StringBuilder();
        for (int run = 0; run < runs; run++) {
            BaseAlgorithm<?> model = switch (workload) {
                case "ppo2-zoo" -> new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 8, 0L), PPO2.Config.DEFAULT.with(ZOO), options);
                case "ppo2-defaults" -> new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), PPO2.Config.DEFAULT, options);
                case "a2c-defaults" -> new A2C("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 8, 0L), A2C.Config.DEFAULT, options);
                default -> throw new IllegalArgumentException("no workload " + workload);
            };
            double seconds = learnSeconds(model);
            out.append(run == 0 ? "" : " ").append(seconds).append(' ').append(evalMean(model));
        }
        return out.toString();
    }

    private static double[] learnInFreshJvm(String backend, String workload, int runs) throws IOException, InterruptedException {
        return java.util.Arrays.stream(inFreshJvm(CHILD_LEARN, backend, workload, String.valueOf(runs)).split(" "))
                .mapToDouble(Double::parseDouble).toArray();
    }

    private static double predictMicros(AlgorithmOptions options) {
        PPO2 model = new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), PPO2.Config.DEFAULT, options);
        float[] obs = {0.01f, -0.02f, 0.03f, 0.04f};
        float sink = 0;
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            sink += model.predict(obs, true)[0];
        }
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
            long n = 0;
            long start = System.nanoTime();
            long end = start + 500_000_000L;
            while (System.nanoTime() < end) {
                obs[0] = n * 1e-7f;
                sink += model.predict(obs, true)[0];
                n++;
            }
            rounds[r] = (System.nanoTime() - start) / 1e3 / n;
        }
        if (sink == Float.MIN_VALUE) {
            System.out.println(sink);
        }
        return BenchTable.median(rounds);
    }

    /**
     * {@link #minibatchUpdateMicros} in a JVM of its own, as JMH forks one per benchmark: code the JIT
     * compiled for one batch size ran the other up to 40% slower in the same JVM.
     */
    private static double updateMicrosInFreshJvm(String backend, int batch) throws IOException, InterruptedException {
        return Double.parseDouble(inFreshJvm(CHILD_UPDATE, backend, String.valueOf(batch)));
    }

    /** Runs this class in a new JVM with this JVM's options and returns the last line it printed. */
    private static String inFreshJvm(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AlgoBench.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("the benchmark's JVM for " + List.of(args) + " failed: " + output);
        }
        String[] lines = output.split("\\R");
        return lines[lines.length - 1];
    }

    /** Times one minibatch update of the zoo CartPole networks (4-64-64-2 policy, 4-64-64-1 value). */
    static double minibatchUpdateMicros(String backend, int batch) {
        ActorCriticPolicy policy = new ActorCriticPolicy(new Box(-5f, 5f, 4), new Discrete(2),
                PolicyKwargs.fromMap(Map.of("backend", backend)), 0);
        Optimizer adam = policy.backend().adam(policy.trainables(), AdamConfig.DEFAULT.withEpsilon(1e-5));
        SplittableRandom random = new SplittableRandom(0);
        float[][] obs = new float[batch][4];
        float[][] actions = new float[batch][1];
        float[] oldLogProb = new float[batch];
        float[] advantage = new float[batch];
        float[] oldValue = new float[batch];
        float[] returns = new float[batch];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < 4; j++) {
                obs[i][j] = (float) random.nextGaussian();
            }
            actions[i][0] = random.nextInt(2);
            oldLogProb[i] = (float) Math.log(0.5 + 0.1 * random.nextGaussian() * 0.1);
            advantage[i] = (float) random.nextGaussian();
            returns[i] = (float) random.nextGaussian();
        }
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss();
        // PPO2's minibatch step, as PPO2.trainMinibatch makes it.
        Runnable update = () -> {
            policy.zeroGrad();
            policy.trainingPass(obs, actions, batch, loss.bind(oldLogProb, advantage, oldValue, returns, 0.2, 0.2, 0.0, 0.5));
            adam.step(1e-4, 0.5);
        };
        // Long enough for C2 to finish: on two cores its compiler threads share them with both halves of the update.
        long warmUntil = System.nanoTime() + 6_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            update.run();
        }
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            int n = 0;
            long start = System.nanoTime();
            long end = start + 300_000_000L;
            while (System.nanoTime() < end) {
                update.run();
                n++;
            }
            rounds[r] = (System.nanoTime() - start) / 1e3 / n;
        }
        return BenchTable.median(rounds);
    }
}
