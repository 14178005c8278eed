package org.sparkbaselines.spark.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1, as a user would start one: a {@code Master} and a
 * {@code Worker} with 2 cores, each its own JVM, and applications that take one-core executors
 * ({@link #submitOptions()}), so two executor JVMs run every job. No Spark distribution: a
 * {@code SPARK_HOME} whose {@code jars/} links the jars that play the Spark installation (Spark and its
 * dependencies, e.g. a runtime classpath without the application's own jars), and
 * {@code SPARK_SCALA_VERSION=2.12}, which the Worker needs to launch executors from it. Applications
 * (the shaded jar, submitted through {@code SparkSubmit}) ship themselves to the executors. Unlike
 * {@code local[*]}, tasks here move between JVMs, statics are per JVM and closures really serialize.
 * What the cluster tests and the cluster benchmark run on; {@link #close()} stops every process it
 * started, executors included.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private final Path home;
    private final int port;
    private final List<String> jvmOptions;
    private final List<Process> daemons = new ArrayList<>();

    private StandaloneCluster(Path home, int port, List<String> jvmOptions) {
        this.home = home;
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts a master and a 2-core worker under {@code work}, and waits until the worker has registered.
     *
     * @param sparkJars the jars of the Spark installation
     * @param jvmOptions options of every JVM of the cluster, executors included (the project's {@code sb.jvm.options})
     */
    public static StandaloneCluster start(Path work, List<Path> sparkJars, List<String> jvmOptions) throws IOException, InterruptedException {
        Path home = Files.createDirectories(work.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        StandaloneCluster cluster = new StandaloneCluster(home, freePort(), jvmOptions);
        try {
            Path masterLog = home.resolve("master.log");
            cluster.daemon(masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                    Integer.toString(cluster.port), "--webui-port", Integer.toString(freePort()));
            awaitLine(masterLog, "I have been elected leader");
            Path workerLog = home.resolve("worker.log");
            cluster.daemon(workerLog, "org.apache.spark.deploy.worker.Worker", cluster.masterUrl(), "--host", "127.0.0.1",
                    "--cores", "2", "--memory", "6g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", Files.createDirectories(home.resolve("work")).toString());
            awaitLine(workerLog, "Successfully registered with master");
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /**
     * SparkSubmit options for this cluster: one-core executors on both of the worker's cores, with our JVM
     * options, and partition counts for two cores (the defaults, 200 shuffle partitions and 50 for replaying
     * a Delta log, are sized for large clusters: here they turn each small Delta operation into hundreds of
     * tasks), as docs/spark.md tells users to do on a small cluster.
     */
    public List<String> submitOptions() {
        String executorOptions = String.join(" ", jvmOptions);
        return List.of("--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=1500m",
                "--conf", "spark.executor.extraJavaOptions=" + executorOptions, "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.databricks.delta.snapshotPartitions=2");
    }

    /** The process ids of the executor JVMs running now (children of the worker). */
    public List<Long> executorPids() {
        return daemons.stream().flatMap(Process::descendants)
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .map(ProcessHandle::pid).collect(Collectors.toList());
    }

    /** Applications the cluster has run or is running. */
    public int applications() throws IOException {
        try (Stream<Path> all = Files.list(home.resolve("work"))) {
            return (int) all.filter(Files::isDirectory).count();
        }
    }

    /** Tasks the executors of the newest application have started (their logs' "Running task" lines). */
    public int tasksStarted() throws IOException {
        int started = 0;
        for (Path executor : executorFolders()) {
            Path log = executor.resolve("stderr");
            if (Files.exists(log)) {
                started += (int) Files.readAllLines(log).stream().filter(line -> line.contains("Running task")).count();
            }
        }
        return started;
    }

    /** Executors the worker has launched for the newest application, relaunched ones included. */
    public int executorsLaunched() throws IOException {
        return executorFolders().size();
    }

    /** The worker's folders of the newest application's executors ({@code work/app-<time>-<n>/<executor id>}). */
    private List<Path> executorFolders() throws IOException {
        Path apps = home.resolve("work");
        try (Stream<Path> all = Files.list(apps)) {
            Path newest = all.filter(Files::isDirectory).max(Path::compareTo).orElse(null);
            if (newest == null) {
                return List.of();
            }
            try (Stream<Path> executors = Files.list(newest)) {
                return executors.filter(Files::isDirectory).collect(Collectors.toList());
            }
        }
    }

    private void daemon(Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", home.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        daemons.add(builder.start());
    }

    private static void awaitLine(Path log, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " within " + START_TIMEOUT + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the worker (and the executors it launched), then the master. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process daemon = daemons.get(i);
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
            try {
                daemon.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
