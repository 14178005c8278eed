package org.sparkbaselines.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.sparkbaselines.spark.cluster.StandaloneCluster;

/**
 * What a Spark command costs from the command line, timed as a user sees it (wall time of a fresh
 * process, JVM start included), against the targets of issue 8:
 * <ul>
 *   <li>{@code local}: {@code bin/sb dataset describe} of the shipped table (≤ 6 s), {@code generate-expert}
 *       of 40 CartPole episodes (≤ 10 s) and of 1,000 (≤ 40 s), {@code dataset import} of the shipped
 *       {@code .npz} (≤ 8 s), on the embedded {@code local[*]};</li>
 *   <li>{@code cluster}: PPO2 on CartPole for 30,000 steps with rollouts on two executors of a local
 *       standalone cluster ({@link StandaloneCluster}), without and with {@code --record-table},
 *       alternating; recording may add at most 25 %.</li>
 * </ul>
 * Needs {@code jobs/target/spark-baselines.jar} for {@code cluster} ({@code bin/bench commands} builds it).
 * Prints medians; never fails on timing. Run: {@code bin/bench commands [local|cluster] [runs]}.
 */
public final class CommandBench {
    private static final long TIMEOUT_MINUTES = 10;

    private CommandBench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = projectRoot();
        Path work = Files.createTempDirectory("sb-command-bench");
        List<String> lines = new ArrayList<>();
        if (which.equals("all") || which.equals("local")) {
            lines.add(row("dataset describe --table data/expert-cartpole", 6, times(runs, i -> sb(root, work,
                    "dataset", "describe", "--table", root.resolve("data/expert-cartpole").toString()))));
            lines.add(row("generate-expert, 40 CartPole episodes, new table", 10, times(runs, i -> sb(root, work,
                    "generate-expert", "--expert", "cartpole-balance", "--env", "CartPole-v1", "--episodes", "40",
                    "--table", work.resolve("expert40-" + i).toString()))));
            lines.add(row("dataset import --npz data/expert_cartpole.npz, new table", 8, times(runs, i -> sb(root, work,
                    "dataset", "import", "--npz", root.resolve("data/expert_cartpole.npz").toString(),
                    "--table", work.resolve("import-" + i).toString()))));
            lines.add(row("generate-expert, 1,000 CartPole episodes, new table", 40, times(1, i -> sb(root, work,
                    "generate-expert", "--expert", "cartpole-balance", "--env", "CartPole-v1", "--episodes", "1000",
                    "--table", work.resolve("expert1000-" + i).toString()))));
        }
        if (which.equals("all") || which.equals("cluster")) {
            lines.addAll(recordingOverhead(root, work, Math.max(1, runs - 1)));
        }
        System.out.println();
        System.out.println("Spark commands from the command line (wall time of a fresh process, median)");
        System.out.printf("%-62s %-24s %9s %9s%n", "workload", "runs (s)", "median", "target");
        lines.forEach(System.out::println);
    }

    private static String row(String workload, double targetSeconds, double[] seconds) {
        double median = BenchTable.median(seconds);
        return String.format("%-62s %-24s %8.1fs %8s%s", workload,
                Arrays.stream(seconds).mapToObj(s -> String.format("%.1f", s)).collect(Collectors.joining(", ")), median,
                Double.isNaN(targetSeconds) ? "-" : String.format("≤ %.0fs", targetSeconds),
                Double.isNaN(targetSeconds) ? "" : median <= targetSeconds ? "  met" : "  MISSED");
    }

    /** Training with executor rollouts on a local standalone cluster, with and without recording, alternating. */
    private static List<String> recordingOverhead(Path root, Path work, int runs) throws Exception {
        Path jar = root.resolve("jobs/target/spark-baselines.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build it with mvn -B -DskipTests verify -pl jobs -am");
        }
        // bin/bench starts this JVM with the project's options (sb.jvm.options): the cluster's JVMs take the same.
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<Path> sparkJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar") && !entry.contains("/org/sparkbaselines/") && !entry.contains("/io/delta/")
                        && !entry.contains("/target/"))
                .map(Path::of).toList();
        double[] plain = new double[runs];
        double[] recorded = new double[runs];
        try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("cluster"), sparkJars, jvmOptions)) {
            for (int i = 0; i < runs; i++) {
                plain[i] = submitTraining(cluster, jar, jvmOptions, sparkJars, work, null);
                recorded[i] = submitTraining(cluster, jar, jvmOptions, sparkJars, work, work.resolve("recorded-" + i));
            }
        }
        double overhead = BenchTable.median(recorded) / BenchTable.median(plain) - 1;
        return List.of(row("cluster: train ppo2 CartPole 30k, 2 executors x 4 envs", Double.NaN, plain),
                row("cluster: the same with --record-table", Double.NaN, recorded),
                String.format("%-62s %-24s %8.0f%% %8s%s", "cluster: recording overhead", "", overhead * 100, "≤ 25%",
                        overhead <= 0.25 ? "  met" : "  MISSED"));
    }

    private static double submitTraining(StandaloneCluster cluster, Path jar, List<String> jvmOptions, List<Path> sparkJars, Path work,
            Path recordTable) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", sparkJars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "org.apache.spark.deploy.SparkSubmit", "--master", cluster.masterUrl(), "--conf", "spark.ui.enabled=false"));
        command.addAll(cluster.submitOptions());
        command.addAll(List.of("--class", "org.sparkbaselines.jobs.Main", jar.toString(), "train", "--algo", "ppo2", "--env", "CartPole-v1",
                "--timesteps", "30000", "--rollout-workers", "2", "--envs-per-worker", "4", "--eval-episodes", "1", "--verbose", "0",
                "-f", work.resolve("logs").toString()));
        if (recordTable != null) {
            command.addAll(List.of("--record-table", recordTable.toString()));
        }
        return timed(command, work);
    }

    private interface Run {
        double seconds(int index) throws Exception;
    }

    private static double[] times(int runs, Run run) throws Exception {
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            seconds[i] = run.seconds(i);
        }
        return seconds;
    }

    private static double sb(Path root, Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/sb").toString()));
        command.addAll(List.of(args));
        return timed(command, work);
    }

    private static double timed(List<String> command, Path work) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "command", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("no exit within " + TIMEOUT_MINUTES + " minutes: " + command);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + " of " + command + ":\n" + Files.readString(log));
        }
        return seconds;
    }

    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/sb"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run from inside the project: no bin/sb above " + Path.of("").toAbsolutePath());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
