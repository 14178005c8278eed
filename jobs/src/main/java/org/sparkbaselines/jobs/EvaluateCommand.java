package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.common.RandomPredictor;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.evaluation.BatchEvaluation;
import org.sparkbaselines.spark.evaluation.BatchEvaluationSpec;
import org.sparkbaselines.spark.evaluation.ModelEpisodes;
import org.sparkbaselines.spark.evaluation.ModelSummary;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sb evaluate}: runs whole episodes of a policy and prints the mean and spread of their rewards;
 * with {@code --models}, the distributed batch evaluation of many saved models into Delta tables.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a policy on an environment: mean +/- std of episode reward and length.",
            "With --models: evaluate every saved model of a directory or Delta table on Spark into --table "
                + "(<table>/episodes, <table>/summary; reruns update the rows) and print one line per model."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1 (see 'sb envs').")
    String envId;

    @Option(names = "--policy", defaultValue = "random", description = "Without --model, the policy to run. Available: random (default).")
    String policy;

    @Option(names = "--model", description = "A saved model (zip) to evaluate instead of --policy; with --algo also a Stable Baselines 2"
            + " agent (.pkl or .zip), imported without running it.")
    Path model;

    @Option(names = "--algo", description = "With --model: the algorithm of a Stable Baselines 2 agent (ppo2, a2c, trpo, dqn, ddpg, td3, sac, acer, acktr).")
    String algo;

    @Option(names = "--episodes", defaultValue = "10", description = "Number of episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the env and the policy (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stochastic", description = "Sample actions instead of taking the most likely ones.")
    boolean stochastic;

    @Option(names = "--per-episode", description = "Also print every episode's seed, return and length.")
    boolean perEpisode;

    @Option(names = "--models", description = "A directory of saved models (*.zip, searched recursively) or a Delta table listing them "
            + "(column model_path): evaluates them all on Spark, episode i with seed --seed + i.")
    String models;

    @Option(names = "--table", description = "With --models: root of the result Delta tables <table>/episodes and <table>/summary.")
    String table;

    @Option(names = "--episodes-per-task", defaultValue = "0",
            description = "With --models: episodes of one model per Spark task (default: automatic, about two tasks per core).")
    int episodesPerTask;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandInputs.requirePositive(spec, "--episodes", episodes);
        CommandInputs.requireNonNegative(spec, "--episodes-per-task", episodesPerTask);
        if (models != null) {
            requireBatchOptions();
            return BatchJob.run(this);
        }
        if (table != null) {
            throw new ParameterException(spec.commandLine(), "--table goes with --models");
        }
        if (algo != null && model == null) {
            throw new ParameterException(spec.commandLine(), "--algo goes with --model");
        }
        CommandInputs.requireFile(model);
        try (VecEnv env = VecEnvs.makeVecEnv(envId, 1, seed)) {
            VecEnv evalEnv = env;
            Predictor predictor;
            String label;
            if (model != null) {
                BaseAlgorithm<?> loaded = AgentFiles.load(algo, model, env, System.out);
                evalEnv = ModelEpisodes.evaluationEnv(loaded);
                predictor = loaded::predict;
                label = loaded.algorithmName() + " model " + model;
            } else {
                predictor = predictor(env);
                label = policy + " policy";
            }
            long start = System.nanoTime();
            EvaluationResult result = Evaluation.evaluatePolicy(predictor, evalEnv, episodes, !stochastic, false, null, null, seed);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s, %s, %d episodes (seed %d):%n", envId, label, episodes, seed);
            System.out.printf("  mean reward    %10.2f +/- %.2f%n", result.meanReward(), result.stdReward());
            System.out.printf("  episode length %10.1f +/- %.1f%n", result.meanLength(), result.stdLength());
            System.out.printf("  wall time      %10.3f s%n", seconds);
            if (perEpisode) {
                for (int i = 0; i < episodes; i++) {
                    System.out.printf(Locale.ROOT, "  episode %d (seed %d): return %.6f, length %d%n", i, seed + i, result.episodeRewards()[i],
                            result.episodeLengths()[i]);
                }
            }
        }
        return 0;
    }

    /** The loaded model's env: wrapped in its saved VecNormalize statistics, if any, frozen for evaluation. */
    static VecEnv withFrozenNormalization(BaseAlgorithm<?> loaded) {
        return ModelEpisodes.evaluationEnv(loaded);
    }

    private void requireBatchOptions() {
        if (table == null) {
            throw new ParameterException(spec.commandLine(), "--models needs --table, the root of the result tables");
        }
        if (algo != null) {
            throw new ParameterException(spec.commandLine(), "--algo names the algorithm of one Stable Baselines 2 --model; --models"
                    + " evaluates saved models of ours, which name their own");
        }
        for (String single : List.of("--model", "--policy")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(single)) {
                throw new ParameterException(spec.commandLine(), single + " evaluates one policy in process; it does not go with --models");
            }
        }
    }

    private Predictor predictor(VecEnv env) {
        if (policy.equals("random")) {
            return new RandomPredictor(env.actionSpace(), seed);
        }
        throw new IllegalArgumentException("unknown policy '" + policy + "'; available: random");
    }

    /**
     * The {@code --models} path, in its own class so that the single-policy path never loads Spark
     * classes: the shaded jar runs it with {@code java -jar}, where Spark is not on the classpath.
     */
    private static final class BatchJob {
        private BatchJob() {
        }

        static int run(EvaluateCommand options) throws IOException {
            BatchEvaluationSpec spec = BatchEvaluationSpec.of(options.models, options.envId, options.episodes, options.table)
                    .withSeed(options.seed).withDeterministic(!options.stochastic).withEpisodesPerTask(options.episodesPerTask);
            // Not stopped here: under spark-submit or in a notebook the session may be shared; the JVM's exit stops it.
            SparkSession spark = SparkSessions.getOrCreate("sb evaluate");
            long start = System.nanoTime();
            List<ModelSummary> summaries = BatchEvaluation.run(spark, spec);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s, %d models, %d %s episodes each (seeds %d..%d) in %.1f s on %s:%n", spec.envId(),
                    summaries.size(), spec.episodes(), spec.deterministic() ? "deterministic" : "stochastic", spec.seed(),
                    spec.seed() + spec.episodes() - 1, seconds, spark.sparkContext().master());
            print(summaries);
            System.out.printf("Results: %s and %s%n", BatchEvaluation.summaryPath(spec.table()), BatchEvaluation.episodesPath(spec.table()));
            List<ModelSummary> failed = summaries.stream().filter(s -> !s.ok()).toList();
            for (ModelSummary summary : failed) {
                System.err.println("error: " + summary.error());
            }
            if (!failed.isEmpty()) {
                System.err.printf("error: %d of %d models could not be evaluated (status '%s' in the summary table)%n", failed.size(),
                        summaries.size(), BatchEvaluation.STATUS_FAILED);
                return 1;
            }
            return 0;
        }

        private static void print(List<ModelSummary> summaries) {
            int nameWidth = Math.max("model".length(), summaries.stream().mapToInt(s -> s.modelName().length()).max().orElse(0));
            String header = "  %-" + nameWidth + "s  %-9s  %10s  %8s  %12s  %9s  %9s  %9s  %11s  %s%n";
            String row = "  %-" + nameWidth + "s  %-9s  %,10d  %8d  %12.2f  %9.2f  %9.2f  %9.2f  %11.1f  %s%n";
            String failedRow = "  %-" + nameWidth + "s  %-9s  %10s  %8d  %12s  %9s  %9s  %9s  %11s  %s%n";
            System.out.printf(Locale.ROOT, header, "model", "algorithm", "timesteps", "episodes", "mean reward", "std", "min", "max",
                    "mean length", "status");
            for (ModelSummary s : summaries) {
                if (s.ok()) {
                    System.out.printf(Locale.ROOT, row, s.modelName(), s.algorithm(), s.numTimesteps(), s.episodes(), s.meanReward(),
                            s.stdReward(), s.minReward(), s.maxReward(), s.meanLength(), s.status());
                } else {
                    System.out.printf(Locale.ROOT, failedRow, s.modelName(), "-", "-", s.episodes(), "-", "-", "-", "-", "-", s.status());
                }
            }
        }
    }
}
