package org.sparkbaselines.jobs;

import java.util.concurrent.Callable;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.common.RandomPredictor;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sb evaluate}: runs whole episodes of a policy and prints the mean and spread of their rewards. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a policy on an environment: mean +/- std of episode reward and length.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1 (see 'sb envs').")
    String envId;

    @Option(names = "--policy", defaultValue = "random", description = "The policy to run. Available: random (default).")
    String policy;

    @Option(names = "--episodes", defaultValue = "10", description = "Number of episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the env and the policy (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stochastic", description = "Sample actions instead of taking the most likely ones.")
    boolean stochastic;

    @Override
    public Integer call() {
        try (VecEnv env = VecEnvs.makeVecEnv(envId, 1, seed)) {
            Predictor predictor = predictor(env);
            long start = System.nanoTime();
            EvaluationResult result = Evaluation.evaluatePolicy(predictor, env, episodes, !stochastic, false, null, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s, %s policy, %d episodes (seed %d):%n", envId, policy, episodes, seed);
            System.out.printf("  mean reward    %10.2f +/- %.2f%n", result.meanReward(), result.stdReward());
            System.out.printf("  episode length %10.1f +/- %.1f%n", result.meanLength(), result.stdLength());
            System.out.printf("  wall time      %10.3f s%n", seconds);
        }
        return 0;
    }

    private Predictor predictor(VecEnv env) {
        if (policy.equals("random")) {
            return new RandomPredictor(env.actionSpace(), seed);
        }
        throw new IllegalArgumentException("unknown policy '" + policy + "'; available: random");
    }
}
