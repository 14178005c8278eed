package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.sb2.Sb2File;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.expert.ExpertGeneration;
import org.sparkbaselines.spark.expert.ExpertSource;
import org.sparkbaselines.spark.expert.ExpertSpec;
import org.sparkbaselines.spark.expert.Experts;
import org.sparkbaselines.spark.expert.GenerationResult;
import org.sparkbaselines.vec.VecEnvs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sb generate-expert}: the reference's {@code generate_expert_traj}, distributed: runs a saved
 * model or a named expert for N episodes across Spark executors into the Delta trajectory tables
 * (optionally also an {@code .npz}), and prints the run's episodes, steps and mean return.
 */
@Command(name = "generate-expert", mixinStandardHelpOptions = true,
        description = {"Record expert episodes into Delta trajectory tables (<table>/steps, <table>/episodes), spread over Spark tasks.",
            "Reruns with the same arguments add nothing; a rerun after a failure completes the run."})
final class GenerateExpertCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    ExpertChoice expert;

    static final class ExpertChoice {
        @Option(names = "--model", description = "A saved model (zip) to act as the expert; with --algo also a Stable Baselines 2"
                + " agent (.pkl or .zip), imported without running it.")
        Path model;

        @Option(names = "--expert", description = "A named expert instead of a model. Built in: "
                + Experts.CARTPOLE_BALANCE + ", " + Experts.MOUNTAINCAR_ENERGY + ".")
        String name;
    }

    @Option(names = "--algo", description = "With --model: the algorithm of a Stable Baselines 2 agent (ppo2, a2c, trpo, dqn, ddpg, td3, sac, acer, acktr).")
    String algo;

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1 (see 'sb envs').")
    String envId;

    @Option(names = "--episodes", required = true, description = "Episodes in the run (episode i is reset with seed + i).")
    int episodes;

    @Option(names = "--table", required = true, description = "Root of the trajectory tables: a directory or a Hadoop URI (s3a://...).")
    String table;

    @Option(names = "--npz", description = "Also write the run in the reference's .npz layout (obs, actions, rewards, episode_returns, episode_starts).")
    Path npz;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the first episode (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dataset", description = "Dataset name, a partition of both tables (default: the env id).")
    String dataset;

    @Option(names = "--stochastic", description = "Let a model sample its actions (seeded per episode) instead of taking the most likely ones.")
    boolean stochastic;

    @Option(names = "--tasks", defaultValue = "0", description = "Spark tasks to spread the episodes over (default: Spark's default parallelism).")
    int tasks;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandInputs.requirePositive(spec, "--episodes", episodes);
        CommandInputs.requireNonNegative(spec, "--tasks", tasks);
        CommandInputs.requireFile(expert.model);
        if (algo != null && expert.model == null) {
            throw new ParameterException(this.spec.commandLine(), "--algo goes with --model");
        }
        long start = System.nanoTime();
        Path imported = expert.model != null && Sb2File.isSb2(expert.model) ? importSb2() : null;
        GenerationResult result;
        ExpertSpec spec;
        try {
            Path modelFile = imported != null ? imported : expert.model;
            ExpertSource source = modelFile != null ? ExpertSource.model(modelFile) : ExpertSource.named(expert.name);
            spec = new ExpertSpec(source, envId, episodes, table, dataset, seed, !stochastic, tasks, npz);
            try (SparkSession spark = SparkSessions.getOrCreate("sb generate-expert")) {
                result = ExpertGeneration.run(spark, spec);
            }
        } finally {
            if (imported != null) {
                Files.deleteIfExists(imported);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s on %s into %s (dataset %s, run %s):%n", expert.model != null ? "model " + expert.model : "expert " + expert.name,
                envId, table, result.dataset(), result.runId());
        System.out.printf("  episodes       %10d (%d new)%n", result.episodes(), result.newEpisodes());
        System.out.printf("  steps          %10d%n", result.steps());
        System.out.printf("  mean return    %10.2f +/- %.2f%n", result.meanReturn(), result.stdReturn());
        System.out.printf("  mean length    %10.1f%n", result.meanLength());
        if (spec.npz() != null) {
            System.out.printf("  npz            %s%n", spec.npz());
        }
        System.out.printf("  wall time      %10.3f s%n", seconds);
        return 0;
    }

    /** The Stable Baselines 2 expert imported on the driver and saved in our format, which the executors load. */
    private Path importSb2() throws IOException {
        CommandInputs.requireEnv(envId);
        BaseAlgorithm<?> model = AgentFiles.load(algo, expert.model, VecEnvs.makeVecEnv(envId, 1, seed), System.out);
        Path file = Files.createTempFile("sb-imported-expert-", ".zip");
        try {
            return model.save(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
