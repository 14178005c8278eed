package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the shaded jar in separate JVMs as users do: with {@code java -jar}, or as the application of
 * Spark's own submit entry point ({@code org.apache.spark.deploy.SparkSubmit}, in spark-core, so no Spark
 * distribution is needed). jobs/pom.xml passes the jar, the runtime classpath and the JVM options to the
 * integration-test phase, after the shade plugin wrote the jar.
 */
final class JarProcesses {
    private JarProcesses() {
    }

    /** The shaded jar; skips the calling test outside the integration-test phase. */
    static Path shadedJar() {
        String jarPath = System.getProperty("sb.shadedJar");
        assumeTrue(jarPath != null, "runs in the integration-test phase of mvn verify, which builds the shaded jar first");
        Path jar = Path.of(jarPath);
        assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar);
        return jar;
    }

    /** The JVM options every process running our code needs ({@code sb.jvm.options}). */
    static List<String> jvmOptions() {
        return List.of(System.getProperty("sb.jvmOptions").trim().split("\\s+"));
    }

    /**
     * What plays the Spark installation: the module's runtime classpath without what the jar must bring
     * itself on a cluster (our modules and Delta), so those load from the jar.
     */
    static List<Path> sparkJars() throws IOException {
        String runtime = Files.readString(Path.of(System.getProperty("sb.runtimeClasspath"))).trim();
        return Arrays.stream(runtime.split(File.pathSeparator))
                .filter(entry -> !entry.contains("/org/sparkbaselines/") && !entry.contains("/io/delta/") && !entry.contains("/target/"))
                .map(Path::of).collect(Collectors.toList());
    }

    /**
     * {@code java <options> -cp <Spark> SparkSubmit --master MASTER <conf...> --class Main <jar> args}. A
     * short-lived Spark driver starts faster with the client compiler only (never for training or benchmarks).
     */
    static List<String> sparkSubmit(Path jar, String master, List<String> submitOptions, boolean clientCompilerOnly, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions());
        if (clientCompilerOnly) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-cp", sparkJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "org.apache.spark.deploy.SparkSubmit", "--master", master, "--conf", "spark.ui.enabled=false"));
        command.addAll(submitOptions);
        command.addAll(List.of("--class", Main.class.getName(), jar.toString()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What a finished process printed, and its exit code. */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        String describe() {
            List<String> lines = stderr.lines().toList();
            int jarAt = 0;
            for (int i = 0; i < command.size(); i++) {
                jarAt = command.get(i).endsWith(".jar") ? i + 1 : jarAt;
            }
            return "exit code " + exitCode + " of '" + String.join(" ", command.subList(jarAt, command.size())) + "'"
                    + "\n--- stdout:\n" + stdout + "\n--- stderr (last 40 lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    /** Starts a process in {@code work} with DESIGN's environment (one OpenMP thread, Spark on loopback). */
    static Process start(List<String> command, Path work, Path stdout, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    /** Runs a command to its end, failing after {@code timeoutMinutes}. */
    static Run run(List<String> command, Path work, long timeoutMinutes) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(work, "stdout", ".txt");
        Path stderr = Files.createTempFile(work, "stderr", ".txt");
        Process process = start(command, work, stdout, stderr);
        return finish(command, process, stdout, stderr, timeoutMinutes);
    }

    /** Waits for a started process, failing (and killing it) after {@code timeoutMinutes}. */
    static Run finish(List<String> command, Process process, Path stdout, Path stderr, long timeoutMinutes)
            throws IOException, InterruptedException {
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError("no exit within " + timeoutMinutes + " minutes: " + String.join(" ", command) + "\n"
                    + Files.readString(stderr));
        }
        return new Run(command, process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }
}
