package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.OnPolicyAlgorithm;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.dataset.DeltaExpertData;
import org.sparkbaselines.spark.dataset.ExpertQuery;
import org.sparkbaselines.spark.pretrain.DataParallelBehaviorCloning;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sb pretrain}: behavior cloning, the reference's {@code model.pretrain(ExpertDataset(...))}.
 * Builds a fresh model, clones the expert's actions, prints a deterministic evaluation and optionally
 * saves the model (to continue with RL: {@code sb train -i model.zip}). Defaults are the reference's.
 * The expert data is an {@code .npz} or a dataset of Delta trajectory tables, read with Spark SQL
 * ({@link DeltaExpertData}) and collected to the driver, or with {@code --data-parallel} left on the
 * executors and trained there with parameter averaging ({@link DataParallelBehaviorCloning}).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain a policy by behavior cloning on expert trajectories, evaluate it, optionally save it.")
final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--algo", required = true, description = "Algorithm: ppo2, a2c, trpo, ppo1, gail (also --data-parallel), dqn, ddpg, td3, sac.")
    String algo;

    @Option(names = "--env", required = true, description = "Registered env id, e.g. CartPole-v1 (its spaces must match the data).")
    String envId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ExpertSource expert;

    /** Where the expert trajectories come from: exactly one of the two. */
    static final class ExpertSource {
        @Option(names = "--expert-npz", required = true, description = "Expert trajectories in the reference's .npz layout.")
        Path npz;

        @Option(names = "--expert-table", required = true,
                description = "Expert trajectories in Delta trajectory tables (<table>/steps, <table>/episodes): a directory or a Hadoop URI.")
        String table;
    }

    @Option(names = "--dataset", description = "With --expert-table: the dataset to clone (default: the tables' only dataset).")
    String dataset;

    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}; 1e-3 clones CartPole in 20 epochs).")
    double learningRate;

    @Option(names = "--adam-epsilon", defaultValue = "1e-8", description = "Adam epsilon (default: ${DEFAULT-VALUE}).")
    double adamEpsilon;

    @Option(names = "--val-interval", description = "Epochs between loss reports (default: a tenth of --epochs).")
    Integer valInterval;

    @Option(names = "--batch-size", defaultValue = "64", description = "Rows per batch, per worker with --data-parallel (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--train-fraction", defaultValue = "0.7", description = "Share of steps used for training, the rest validates (default: ${DEFAULT-VALUE}).")
    double trainFraction;

    @Option(names = "--traj-limitation", defaultValue = "-1",
            description = "Episodes to use, from the first (in a table: by run_id, episode_id); -1 uses all (default: ${DEFAULT-VALUE}).")
    int trajLimitation;

    @Option(names = "--data-parallel", description = "With --expert-table: train on the Spark executors with deeplearning4j-spark's "
            + "parameter averaging, never collecting the data to the driver (for datasets larger than its memory; slower otherwise).")
    boolean dataParallel;

    @Option(names = "--workers", description = "With --data-parallel: parallel training workers (default: Spark's default parallelism).")
    Integer workers;

    @Option(names = "--averaging-frequency",
            description = "With --data-parallel: minibatches each worker trains on between two parameter averagings (default: 5).")
    Integer averagingFrequency;

    @Option(names = "--policy", defaultValue = "MlpPolicy", description = "Policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the model, the data split and the evaluation env (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save", description = "Where to save the pretrained model (zip).")
    Path save;

    @Option(names = "--eval-episodes", defaultValue = "10", description = "Evaluation episodes after pretraining (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--verbose", defaultValue = "1", description = "0 silent, 1 dataset summary and loss tables (default: ${DEFAULT-VALUE}).")
    int verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandInputs.requirePositive(spec, "--epochs", epochs);
        CommandInputs.requirePositive(spec, "--lr", learningRate);
        CommandInputs.requirePositive(spec, "--adam-epsilon", adamEpsilon);
        CommandInputs.requirePositive(spec, "--val-interval", valInterval);
        CommandInputs.requirePositive(spec, "--batch-size", batchSize);
        CommandInputs.requireFraction(spec, "--train-fraction", trainFraction);
        if (trajLimitation != -1 && trajLimitation < 1) {
            throw new ParameterException(spec.commandLine(), "--traj-limitation must be -1 (all episodes) or positive, got " + trajLimitation);
        }
        CommandInputs.requirePositive(spec, "--workers", workers);
        CommandInputs.requirePositive(spec, "--averaging-frequency", averagingFrequency);
        CommandInputs.requirePositive(spec, "--eval-episodes", evalEpisodes);
        CommandInputs.requireExists(expert.npz);
        if (dataset != null && expert.table == null) {
            throw new ParameterException(spec.commandLine(), "--dataset goes with --expert-table");
        }
        if (dataParallel && expert.table == null) {
            throw new ParameterException(spec.commandLine(), "--data-parallel needs --expert-table: an .npz file is read on the driver, "
                    + "so clone it there (without --data-parallel) or import it into Delta first (sb dataset import)");
        }
        if (!dataParallel && (workers != null || averagingFrequency != null)) {
            throw new ParameterException(spec.commandLine(), "--workers and --averaging-frequency go with --data-parallel");
        }
        String algoName = algo.toLowerCase(Locale.ROOT);
        BaseAlgorithm<?> created = Algorithms.get(algoName).create(policy, envId, Map.of(), new AlgorithmOptions(verbose, null, Map.of(), seed));
        if (dataParallel && !(created instanceof OnPolicyAlgorithm<?>)) {
            throw new IllegalArgumentException("--data-parallel clones on-policy algorithms (ppo2, a2c), not " + algo
                    + "; clone it on the driver (without --data-parallel)");
        }
        BaseAlgorithm<?> model = created;
        ExpertDataset.Options options = ExpertDataset.Options.DEFAULT.withTrainFraction(trainFraction).withBatchSize(batchSize)
                .withTrajLimitation(trajLimitation).withVerbose(verbose).withSeed(seed);
        System.out.printf("Pretraining %s on %s from %s for %d epochs (lr %s, seed %d%s)%n", algoName, envId,
                expert.table != null ? expert.table : expert.npz, epochs, learningRate, seed, dataParallel ? ", data-parallel" : "");
        if (dataParallel) {
            pretrainDataParallel((OnPolicyAlgorithm<?>) model);
        } else {
            pretrainOnDriver(model, options);
        }
        if (save != null) {
            System.out.printf("Saved %s%n", model.save(save));
        }
        EvaluationResult eval = TrainCommand.evaluate(model, envId, evalEpisodes, seed);
        System.out.printf("Evaluation over %d episodes: mean reward %.2f +/- %.2f%n", evalEpisodes, eval.meanReward(), eval.stdReward());
        return 0;
    }

    /** Collects the data to the driver and clones there (the time printed is the training's, after reading). */
    private void pretrainOnDriver(BaseAlgorithm<?> model, ExpertDataset.Options options) throws IOException {
        TrajectoryData trajectories = expert.table != null ? readTable(model)
                : TrajectoryData.readExpertNpz(expert.npz, model.observationSpace(), model.actionSpace());
        long start = System.nanoTime();
        // A table's episodes are already cut to --traj-limitation in SQL; the options' cut then keeps them all.
        try (ExpertDataset expertData = new ExpertDataset(trajectories, options)) {
            model.pretrain(expertData, epochs, learningRate, adamEpsilon, valInterval);
        }
        System.out.printf("Pretrained in %.2f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Clones on the Spark executors, the data staying there; the session stays up until training ends.
     * The time printed includes the executors' reading of the table, which is part of the training here.
     */
    private void pretrainDataParallel(OnPolicyAlgorithm<?> model) {
        DataParallelBehaviorCloning.Config config = new DataParallelBehaviorCloning.Config(epochs, learningRate, adamEpsilon, valInterval,
                batchSize, averagingFrequency != null ? averagingFrequency : DataParallelBehaviorCloning.Config.DEFAULT.averagingFrequency(),
                workers, trainFraction, seed);
        try (SparkSession spark = SparkSessions.getOrCreate("sb pretrain")) {
            DeltaExpertData tables = DeltaExpertData.at(spark, expert.table);
            ExpertQuery query = ExpertQuery.of(dataset != null ? dataset : tables.soleDataset()).withTrajLimitation(trajLimitation);
            long start = System.nanoTime();
            DataParallelBehaviorCloning.pretrain(model, tables, query, config);
            System.out.printf("Pretrained in %.2f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    /** The selected episodes of the Delta tables, on a Spark session that is stopped before training starts. */
    private TrajectoryData readTable(BaseAlgorithm<?> model) {
        try (SparkSession spark = SparkSessions.getOrCreate("sb pretrain")) {
            DeltaExpertData tables = DeltaExpertData.at(spark, expert.table);
            ExpertQuery query = ExpertQuery.of(dataset != null ? dataset : tables.soleDataset()).withTrajLimitation(trajLimitation);
            return tables.load(query, model.observationSpace(), model.actionSpace());
        }
    }
}
