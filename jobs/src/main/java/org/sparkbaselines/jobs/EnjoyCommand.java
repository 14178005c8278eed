package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecStepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sb enjoy}: the RL zoo's {@code enjoy.py}. Runs a trained agent (the latest run under the log
 * folder, or {@code --model}) for a number of steps and prints each finished episode.
 */
@Command(name = "enjoy", mixinStandardHelpOptions = true, description = "Run a trained agent and print its episodes.")
final class EnjoyCommand implements Callable<Integer> {

    @Option(names = "--algo", required = true, description = "Algorithm the agent was trained with: ppo2, a2c, trpo, ppo1, dqn, ddpg, td3, sac; for a Stable Baselines 2 --model also acer, acktr.")
    String algo;

    @Option(names = "--env", required = true, description = "Registered env id.")
    String envId;

    @Option(names = {"-f", "--folder"}, defaultValue = "logs", description = "Log folder of 'sb train' (default: ${DEFAULT-VALUE}).")
    Path folder;

    @Option(names = "--model", description = "A model file (default: the latest run's model in the folder): ours, or a Stable Baselines 2 agent (.pkl or .zip).")
    Path model;

    @Option(names = {"-n", "--n-timesteps"}, defaultValue = "1000", description = "Steps to run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--stochastic", description = "Sample actions instead of taking the most likely ones.")
    boolean stochastic;

    @Option(names = "--seed", defaultValue = "0", description = "Env seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandInputs.requirePositive(spec, "--n-timesteps", steps);
        CommandInputs.requireEnv(envId);
        CommandInputs.requireFile(model);
        Path file = model != null ? model : RunFolders.latestModel(folder.resolve(algo.toLowerCase(Locale.ROOT)), envId, algo);
        BaseAlgorithm<?> agent = AgentFiles.load(algo, file, VecEnvs.makeVecEnv(envId, 1, seed), System.out);
        VecEnv env = EvaluateCommand.withFrozenNormalization(agent);
        System.out.printf("Running %s from %s on %s for %d steps%n", agent.algorithmName(), file, envId, steps);
        float[][] obs = env.reset();
        int episodes = 0;
        for (int t = 0; t < steps; t++) {
            VecStepResult r = env.step(agent.predict(obs, !stochastic));
            if (r.infos()[0].get(Infos.EPISODE) instanceof EpisodeInfo e) {
                episodes++;
                System.out.printf("episode %d: reward %.2f, length %d%n", episodes, e.reward(), e.length());
            }
            obs = r.obs();
        }
        env.close();
        return 0;
    }
}
