package org.sparkbaselines.jobs;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkbaselines.algos.gail.GAIL;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.imitation.TrajectoryData;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sb gail}: GAIL on TRPO from expert trajectories, with {@code train}'s options and outcome (a saved model under
 * {@code <log folder>/gail/}, an evaluation on the env's true reward). Expert data from an {@code .npz} is read into the
 * driver; from Delta tables it is streamed a partition at a time, so the expert set may exceed the driver's memory.
 */
@Command(name = "gail", mixinStandardHelpOptions = true,
        description = "Imitate expert trajectories with GAIL (TRPO), without the env's reward; save the model, evaluate it on the true reward.")
final class GailCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1 (its spaces must match the data).")
    String envId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Expert expert;

    /** Where the expert trajectories come from: exactly one of the two. */
    static final class Expert {
        @Option(names = "--expert-npz", required = true, description = "Expert trajectories in the reference's .npz layout.")
        Path npz;

        @Option(names = "--expert-table", required = true,
                description = "Root of Delta trajectory tables (<table>/steps, <table>/episodes), streamed in minibatches.")
        String table;
    }

    @Option(names = "--dataset", description = "With --expert-table: the dataset to imitate (default: the tables' only dataset).")
    String dataset;

    @Option(names = "--traj-limitation", defaultValue = "-1", description = "Expert episodes to use, the first ones; -1: all (default: ${DEFAULT-VALUE}).")
    int trajLimitation;

    @Option(names = {"-n", "--timesteps"}, description = "Timesteps to train (default: the config's n_timesteps).")
    Long timesteps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--conf", description = "Hyperparameter file (default: the bundled conf/hyperparams/gail.yml).")
    Path conf;

    @Option(names = {"-f", "--log-folder"}, defaultValue = "logs", description = "Where models go (default: ${DEFAULT-VALUE}).")
    Path logFolder;

    @Option(names = "--tensorboard-log", description = "TensorBoard log directory.")
    String tensorboardLog;

    @Option(names = "--eval-episodes", defaultValue = "10", description = "Evaluation episodes after training (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--verbose", defaultValue = "1", description = "0 silent, 1 training tables (default: ${DEFAULT-VALUE}).")
    int verbose;

    @Option(names = "--rollout-workers", description = "Policy rollouts on Spark executors with this many workers (default: in process);"
            + " the discriminator's reward is applied on the driver.")
    Integer rolloutWorkers;

    @Option(names = "--envs-per-worker", description = "Envs per executor worker (default: 1).")
    Integer envsPerWorker;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandInputs.requireExists(expert.npz);
        if (dataset != null && expert.table == null) {
            throw new ParameterException(spec.commandLine(), "--dataset goes with --expert-table");
        }
        if (trajLimitation == 0 || trajLimitation < -1) {
            throw new ParameterException(spec.commandLine(), "--traj-limitation must be -1 (all) or at least 1, got " + trajLimitation);
        }
        TrainCommand train = new TrainCommand();
        train.spec = spec;
        train.algo = "gail";
        train.envId = envId;
        train.timesteps = timesteps;
        train.seed = seed;
        train.conf = conf;
        train.logFolder = logFolder;
        train.tensorboardLog = tensorboardLog;
        train.evalEpisodes = evalEpisodes;
        train.verbose = verbose;
        train.rolloutWorkers = rolloutWorkers;
        train.envsPerWorker = envsPerWorker;
        train.recordDataset = "training";
        train.setupNeedsSpark = expert.table != null;
        train.givesExpertData = true;
        train.modelSetup = (spark, model) -> giveExpertData(spark, (GAIL) model);
        return train.call();
    }

    private void giveExpertData(Object spark, GAIL model) {
        if (expert.table != null) {
            model.setExpertData(SparkTraining.expertBatches(spark, expert.table, dataset, trajLimitation, model, seed));
            return;
        }
        try {
            TrajectoryData data = TrajectoryData.readExpertNpz(expert.npz, model.observationSpace(), model.actionSpace());
            try (ExpertDataset expertData = new ExpertDataset(data, ExpertDataset.Options.DEFAULT.withTrajLimitation(trajLimitation)
                    .withVerbose(verbose).withSeed(seed))) {
                model.setExpertData(expertData);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(expert.npz + ": " + e.getMessage(), e);
        }
    }
}
