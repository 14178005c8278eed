package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.common.RandomPredictor;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sb evaluate}: runs whole episodes of a policy and prints the mean and spread of their rewards. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a policy on an environment: mean +/- std of episode reward and length.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1 (see 'sb envs').")
    String envId;

    @Option(names = "--policy", defaultValue = "random", description = "Without --model, the policy to run. Available: random (default).")
    String policy;

    @Option(names = "--model", description = "A saved model (zip) to evaluate instead of --policy.")
    Path model;

    @Option(names = "--episodes", defaultValue = "10", description = "Number of episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the env and the policy (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stochastic", description = "Sample actions instead of taking the most likely ones.")
    boolean stochastic;

    @Override
    public Integer call() throws IOException {
        try (VecEnv env = VecEnvs.makeVecEnv(envId, 1, seed)) {
            VecEnv evalEnv = env;
            Predictor predictor;
            String label;
            if (model != null) {
                BaseAlgorithm<?> loaded = Algorithms.loadAny(model, env);
                evalEnv = withFrozenNormalization(loaded);
                predictor = loaded::predict;
                label = loaded.algorithmName() + " model " + model;
            } else {
                predictor = predictor(env);
                label = policy + " policy";
            }
            long start = System.nanoTime();
            EvaluationResult result = Evaluation.evaluatePolicy(predictor, evalEnv, episodes, !stochastic, false, null, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s, %s, %d episodes (seed %d):%n", envId, label, episodes, seed);
            System.out.printf("  mean reward    %10.2f +/- %.2f%n", result.meanReward(), result.stdReward());
            System.out.printf("  episode length %10.1f +/- %.1f%n", result.meanLength(), result.stdLength());
            System.out.printf("  wall time      %10.3f s%n", seconds);
        }
        return 0;
    }

    /** The loaded model's env: wrapped in its saved VecNormalize statistics, if any, frozen for evaluation. */
    static VecEnv withFrozenNormalization(BaseAlgorithm<?> loaded) {
        VecNormalize normalize = loaded.getVecNormalizeEnv();
        if (normalize != null) {
            normalize.setTraining(false);
            normalize.setNormReward(false);
        }
        return loaded.getEnv();
    }

    private Predictor predictor(VecEnv env) {
        if (policy.equals("random")) {
            return new RandomPredictor(env.actionSpace(), seed);
        }
        throw new IllegalArgumentException("unknown policy '" + policy + "'; available: random");
    }
}
