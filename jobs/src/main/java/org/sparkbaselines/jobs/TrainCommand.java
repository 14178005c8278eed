package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sb train}: the RL zoo's {@code train.py}. Reads the env's entry of the algorithm's hyperparameter
 * file, trains (or continues a saved model), saves {@code <log-folder>/<algo>/<env>_<N>/<env>.zip} and
 * prints a deterministic evaluation.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train an agent with zoo hyperparameters, save it, evaluate it.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--algo", required = true, description = "Algorithm: ppo2, a2c, trpo, ppo1, dqn, ddpg, td3, sac.")
    String algo;

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1.")
    String envId;

    @Option(names = {"-n", "--timesteps"}, description = "Timesteps to train (default: the config's n_timesteps).")
    Long timesteps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--conf", description = "Hyperparameter file (default: the bundled conf/hyperparams/<algo>.yml).")
    Path conf;

    @Option(names = "--tensorboard-log", description = "TensorBoard log directory.")
    String tensorboardLog;

    @Option(names = {"-f", "--log-folder"}, defaultValue = "logs", description = "Where models go (default: ${DEFAULT-VALUE}).")
    Path logFolder;

    @Option(names = {"-i", "--trained-agent"}, description = "A saved model to continue training.")
    Path trainedAgent;

    @Option(names = "--eval-episodes", defaultValue = "10", description = "Evaluation episodes after training (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--verbose", defaultValue = "1", description = "0 silent, 1 training tables (default: ${DEFAULT-VALUE}).")
    int verbose;

    @Option(names = "--rollout-workers", description = "Collect experience on Spark executors with this many workers (default: in "
            + "process). On-policy: rollout workers of --envs-per-worker envs each. Off-policy (dqn, ddpg, td3, sac): actors of one env "
            + "each, acting in rounds of --actor-steps steps while the driver trains.")
    Integer rolloutWorkers;

    @Option(names = "--envs-per-worker", description = "Envs per on-policy executor worker (default: the config's n_envs / workers, at least 1).")
    Integer envsPerWorker;

    @Option(names = "--actor-steps", description = "Steps each off-policy actor takes per round, i.e. per policy version (default: 50).")
    Integer actorSteps;

    @Option(names = "--warm-start-table", description = "Off-policy: fill the replay buffer from the steps of the Delta trajectory tables "
            + "under this path (the newest buffer_size transitions) before training.")
    String warmStartTable;

    @Option(names = "--warm-start-dataset", description = "Only the warm-start table's rows of this dataset (default: all).")
    String warmStartDataset;

    @Option(names = "--record-table", description = "Record the training rollouts as whole episodes into Delta trajectory "
            + "tables under this path (steps/ and episodes/).")
    String recordTable;

    @Option(names = "--record-dataset", defaultValue = "training", description = "The recorded rows' dataset column (default: ${DEFAULT-VALUE}).")
    String recordDataset;

    @Spec
    CommandSpec spec;

    /**
     * What {@code sb gail} adds before training: gives the model its expert data, given the Spark session (an
     * {@code org.apache.spark.sql.SparkSession}, typed Object so that this class names no Spark type) or null in process.
     */
    BiConsumer<Object, BaseAlgorithm<?>> modelSetup = (spark, model) -> { };

    /** Whether {@link #modelSetup} needs a Spark session (expert data in Delta tables). */
    boolean setupNeedsSpark;

    /** Whether {@link #modelSetup} gives the model expert data ({@code sb gail}): GAIL trains only then. */
    boolean givesExpertData;

    @Override
    public Integer call() throws Exception {
        CommandInputs.requirePositive(spec, "--timesteps", timesteps);
        CommandInputs.requirePositive(spec, "--eval-episodes", evalEpisodes);
        // Before the hyperparameter file: its "no entry for ENV" would hide that no such env exists.
        CommandInputs.requireEnv(envId);
        CommandInputs.requireExists(trainedAgent);
        CommandInputs.requireExists(conf);
        String algoName = algo.toLowerCase(Locale.ROOT);
        if (algoName.equals("gail") && !givesExpertData) {
            throw new IllegalArgumentException("GAIL learns from expert data: use sb gail --env ID --expert-npz FILE | --expert-table PATH");
        }
        Algorithms.Entry entry = Algorithms.get(algoName);
        ZooConfig zoo = conf != null ? ZooConfig.load(conf, envId) : ZooConfig.loadBundled(algoName, envId);
        long total = timesteps != null ? timesteps : zoo.nTimesteps();
        if (!entry.learnsFromActors() && (actorSteps != null || warmStartTable != null)) {
            throw new IllegalArgumentException((actorSteps != null ? "--actor-steps" : "--warm-start-table") + " is for off-policy algorithms"
                    + " (dqn, ddpg, td3, sac), not " + algoName);
        }
        if (entry.learnsFromActors() && recordTable != null && rolloutWorkers == null) {
            throw new IllegalArgumentException("--record-table records the transitions of " + algoName + "'s actors: add --rollout-workers N");
        }
        BaseAlgorithm<?> model = rolloutWorkers == null && recordTable == null && warmStartTable == null && !setupNeedsSpark
                ? train(algoName, entry, zoo, total, makeEnv(zoo), null, m -> modelSetup.accept(null, m))
                : SparkTraining.run(this, algoName, entry, zoo, (env, recorder, prepare) -> train(algoName, entry, zoo, total, env, recorder, prepare));
        EvaluationResult eval = evaluate(model, envId, evalEpisodes, seed);
        System.out.printf("Evaluation over %d episodes: mean reward %.2f +/- %.2f%n", evalEpisodes, eval.meanReward(), eval.stdReward());
        return 0;
    }

    private BaseAlgorithm<?> train(String algoName, Algorithms.Entry entry, ZooConfig zoo, long total, Object env,
            RolloutRecorder recorder, Consumer<BaseAlgorithm<?>> prepare) throws IOException {
        AlgorithmOptions options = new AlgorithmOptions(verbose, tensorboardLog, zoo.policyKwargs(), seed);
        BaseAlgorithm<?> model = trainedAgent != null
                ? entry.load(trainedAgent, env, zoo.hyperparameters())
                : entry.create(zoo.policy(), env, zoo.hyperparameters(), options);
        model.recordRollouts(recorder);
        prepare.accept(model);
        System.out.printf("Training %s on %s for %,d timesteps (seed %d)%n", algoName, envId, total, seed);
        long start = System.nanoTime();
        model.learn(total, null, verbose > 0 ? model.defaultLogInterval() : 0, model.algorithmName(), trainedAgent == null);
        double seconds = (System.nanoTime() - start) / 1e9;
        Path saved = model.save(RunFolders.next(logFolder.resolve(algoName), envId).resolve(envId));
        System.out.printf("Trained in %.2f s (%,.0f steps/s); saved %s%n", seconds, total / seconds, saved);
        return model;
    }

    VecEnv makeEnv(ZooConfig zoo) {
        VecEnv env = VecEnvs.makeVecEnv(envId, zoo.nEnvs(), seed);
        return zoo.normalize() != null ? VecNormalize.fromKwargs(env, zoo.normalize()) : env;
    }

    /** A deterministic evaluation on a fresh env, with the training env's normalization frozen. */
    static EvaluationResult evaluate(BaseAlgorithm<?> model, String envId, int episodes, long seed) {
        VecEnv evalEnv = VecEnvs.makeVecEnv(envId, 1, seed + 10_000);
        VecNormalize trainNorm = model.getVecNormalizeEnv();
        if (trainNorm != null) {
            VecNormalize frozen = trainNorm.withVenv(evalEnv);
            frozen.setTraining(false);
            frozen.setNormReward(false);
            evalEnv = frozen;
        }
        try (VecEnv e = evalEnv) {
            return Evaluation.evaluatePolicy(model::predict, e, episodes, true, false, null, null);
        }
    }
}
