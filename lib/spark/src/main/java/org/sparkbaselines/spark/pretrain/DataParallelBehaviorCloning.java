package org.sparkbaselines.spark.pretrain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.sparkbaselines.algos.OnPolicyAlgorithm;
import org.sparkbaselines.imitation.BehaviorCloning;
import org.sparkbaselines.imitation.BehaviorCloning.EpochLoss;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.nd4j.Nd4jMlp;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.spark.dataset.DeltaExpertData;
import org.sparkbaselines.spark.dataset.ExpertQuery;

/**
 * Behavior cloning of an on-policy model's policy, data-parallel over Spark executors with
 * deeplearning4j-spark's parameter averaging: for expert datasets larger than the driver's memory.
 * For anything that fits on the driver, {@link BehaviorCloning} ({@code model.pretrain}) is faster.
 *
 * <p>The policy's action path — shared layers, policy layers and the action head, as its
 * {@code net_arch} and {@code act_fun} say — becomes a DL4J {@link MultiLayerNetwork} initialised
 * from the model's current parameters. The loss is the reference's: softmax cross-entropy with
 * one-hot expert actions for Discrete actions, mean squared error between the expert action and the
 * Gaussian's mean for Box actions (the state-independent {@code logstd} and the value network are left
 * as they are). Adam with the given learning rate and epsilon (betas 0.9, 0.999).
 *
 * <p>The selected steps never reach the driver: executors read them from the Delta {@code steps}
 * table, split them into training and validation steps by a seeded hash of (run_id, episode_id, t)
 * (each step trains with probability {@code trainFraction}, so both parts hold steps of every
 * episode, as in the reference's per-step split), shuffle them once into {@code workers} partitions,
 * cut those into minibatches of {@code batchSizePerWorker} rows and cache them (memory, spilling to
 * disk). Every epoch is one pass: {@link ParameterAveragingTrainingMaster} deals the cached
 * minibatches out in a new random order, each worker takes {@code averagingFrequency} Adam steps on
 * its own copy of the network, and the driver averages the copies' parameters and Adam state
 * ({@code workers x batchSizePerWorker x averagingFrequency} rows per round). Minibatches keep their
 * rows across epochs; only their order changes.
 *
 * <p>Every {@code valInterval} epochs it records {@code pretrain/epoch}, {@code pretrain/train_loss}
 * and {@code pretrain/val_loss} and dumps the logger with the epoch as step, like
 * {@link BehaviorCloning}; here both losses are the current network's mean loss over the whole
 * split, computed on the executors (the driver-side mode reports the mean of the epoch's batch losses
 * for training). At the end the trained weights are copied into the model's policy, so
 * {@code predict}, {@code save} and further {@code learn} use them.
 */
public final class DataParallelBehaviorCloning {

    /** How executors keep the minibatches between epochs (and what DL4J's direct training path persists them with). */
    private static final StorageLevel CACHE = StorageLevel.MEMORY_AND_DISK_SER();
    /** The hash of a step's keys that decides its split, mapped to {@code [0, 1)} through this many buckets. */
    private static final long SPLIT_BUCKETS = 1L << 30;

    /**
     * The reference's {@code pretrain} arguments, the data split and the parameter-averaging settings.
     *
     * @param nEpochs passes over the training steps (default 10)
     * @param learningRate Adam's learning rate (default 1e-4)
     * @param adamEpsilon Adam's epsilon (default 1e-8)
     * @param valInterval epochs between loss reports; null (the default) reports every tenth of
     *        {@code nEpochs} (every epoch below 10 epochs)
     * @param batchSizePerWorker rows per minibatch, each an Adam step on one worker (default 64)
     * @param averagingFrequency minibatches each worker trains on between two parameter averagings (default 5)
     * @param workers parallel training workers; null (the default) takes Spark's default parallelism
     *        (the cluster's cores, or the local threads)
     * @param trainFraction the share of steps that train, strictly between 0 and 1; the rest validates (default 0.7)
     * @param seed seed of the split, the shuffle and the order of the minibatches (default 0)
     */
    public record Config(int nEpochs, double learningRate, double adamEpsilon, Integer valInterval, int batchSizePerWorker,
            int averagingFrequency, Integer workers, double trainFraction, long seed) {

        public static final Config DEFAULT = new Config(10, 1e-4, 1e-8, null, 64, 5, null, 0.7, 0L);

        public Config {
            // The reference's arguments are checked as the driver-side mode checks them.
            new BehaviorCloning.Config(nEpochs, learningRate, adamEpsilon, valInterval);
            if (batchSizePerWorker <= 0) {
                throw new IllegalArgumentException("batchSizePerWorker must be positive, got " + batchSizePerWorker);
            }
            if (averagingFrequency <= 0) {
                throw new IllegalArgumentException("averagingFrequency must be positive, got " + averagingFrequency);
            }
            if (workers != null && workers <= 0) {
                throw new IllegalArgumentException("workers must be positive, got " + workers);
            }
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("trainFraction must be strictly between 0 and 1, got " + trainFraction);
            }
        }

        /** Epochs between loss reports: {@code valInterval}, or by default {@code max(1, nEpochs / 10)} as the reference. */
        public int reportInterval() {
            return new BehaviorCloning.Config(nEpochs, learningRate, adamEpsilon, valInterval).reportInterval();
        }

        public Config withEpochs(int epochs) {
            return new Config(epochs, learningRate, adamEpsilon, valInterval, batchSizePerWorker, averagingFrequency, workers, trainFraction, seed);
        }

        public Config withLearningRate(double rate) {
            return new Config(nEpochs, rate, adamEpsilon, valInterval, batchSizePerWorker, averagingFrequency, workers, trainFraction, seed);
        }

        public Config withAdamEpsilon(double epsilon) {
            return new Config(nEpochs, learningRate, epsilon, valInterval, batchSizePerWorker, averagingFrequency, workers, trainFraction, seed);
        }

        public Config withValInterval(Integer interval) {
            return new Config(nEpochs, learningRate, adamEpsilon, interval, batchSizePerWorker, averagingFrequency, workers, trainFraction, seed);
        }

        public Config withBatchSizePerWorker(int rows) {
            return new Config(nEpochs, learningRate, adamEpsilon, valInterval, rows, averagingFrequency, workers, trainFraction, seed);
        }

        public Config withAveragingFrequency(int minibatches) {
            return new Config(nEpochs, learningRate, adamEpsilon, valInterval, batchSizePerWorker, minibatches, workers, trainFraction, seed);
        }

        public Config withWorkers(Integer count) {
            return new Config(nEpochs, learningRate, adamEpsilon, valInterval, batchSizePerWorker, averagingFrequency, count, trainFraction, seed);
        }

        public Config withTrainFraction(double fraction) {
            return new Config(nEpochs, learningRate, adamEpsilon, valInterval, batchSizePerWorker, averagingFrequency, workers, fraction, seed);
        }

        public Config withSeed(long newSeed) {
            return new Config(nEpochs, learningRate, adamEpsilon, valInterval, batchSizePerWorker, averagingFrequency, workers, trainFraction, newSeed);
        }
    }

    private final OnPolicyAlgorithm<?> model;
    private final PolicyLayout layout;

    /**
     * Behavior cloning of {@code model}'s policy, whose parameters {@link #train} replaces.
     *
     * @throws IllegalArgumentException when the policy's spaces are not supported: actions must be
     *         Discrete or Box (the reference's pretrain supports no other), observations Box,
     *         MultiBinary or Discrete
     */
    public DataParallelBehaviorCloning(OnPolicyAlgorithm<?> model) {
        this.model = Objects.requireNonNull(model, "model");
        this.layout = PolicyLayout.of(model.policy());
    }

    /**
     * Data-parallel behavior cloning of {@code model} on the episodes {@code query} selects, logged as
     * {@code model.pretrain} logs (console with {@code verbose >= 1}, TensorBoard run
     * {@code <algorithm>_pretrain_N} with a {@code tensorboardLog}).
     *
     * @return the reported losses, one per report
     * @see #train
     */
    public static List<EpochLoss> pretrain(OnPolicyAlgorithm<?> model, DeltaExpertData expert, ExpertQuery query, Config config) {
        DataParallelBehaviorCloning cloning = new DataParallelBehaviorCloning(model);
        try (Logger logger = Logger.forTraining(model.options().verbose(), model.options().tensorboardLog(),
                model.algorithmName() + "_pretrain", true)) {
            return cloning.train(expert, query, config, logger);
        }
    }

    /**
     * Trains the policy on the selected episodes for {@code config.nEpochs()} epochs (see the class
     * comment), then loads the trained action path into the model.
     *
     * @param logger where the losses go
     * @return the reported losses, one per report
     * @throws IllegalArgumentException when the dataset does not exist, the query selects no episode,
     *         the data does not fit the model's spaces (sizes; for Discrete actions, a value outside
     *         the space, naming its step), or the split leaves no training step
     */
    public List<EpochLoss> train(DeltaExpertData expert, ExpertQuery query, Config config, Logger logger) {
        Objects.requireNonNull(expert, "expert");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(config, "config");
        ActorCriticPolicy policy = model.policy();
        expert.checkFits(query, policy.observationSpace(), policy.actionSpace());
        Dataset<Row> steps = expert.steps(query);
        layout.checkValues(steps, query);

        JavaSparkContext spark = JavaSparkContext.fromSparkContext(steps.sparkSession().sparkContext());
        int workers = config.workers() != null ? config.workers() : spark.defaultParallelism();
        Column bucket = pmod(xxhash64(lit(config.seed()), col("run_id"), col("episode_id"), col("t")), lit(SPLIT_BUCKETS));
        Column inTraining = bucket.lt(lit((long) Math.floor(config.trainFraction() * SPLIT_BUCKETS)));
        JavaRDD<DataSet> training = minibatches(steps.where(inTraining), workers, config);
        JavaRDD<DataSet> validation = minibatches(steps.where(not(inTraining)), workers, config);
        try {
            if (training.count() == 0) {
                throw new IllegalArgumentException("trainFraction " + config.trainFraction() + " of the " + query.describe()
                        + " leaves no training step");
            }
            boolean validating = validation.count() > 0;
            MultiLayerNetwork network = layout.network(config);
            layout.copyToNetwork(model.getParameters(), network);
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, config.batchSizePerWorker())
                    .batchSizePerWorker(config.batchSizePerWorker())
                    .averagingFrequency(config.averagingFrequency())
                    .saveUpdater(true) // Adam's moments are averaged and carried over, not restarted every round
                    .rddTrainingApproach(RDDTrainingApproach.Direct) // the cached minibatches, no export to files
                    .storageLevel(CACHE)
                    .repartionData(Repartition.NumPartitionsWorkersDiffers) // already one shuffled partition per worker
                    .rngSeed(config.seed())
                    .build();
            SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(spark, network, master);
            int reportInterval = config.reportInterval();
            List<EpochLoss> reports = new ArrayList<>();
            logger.info("Pretraining with behavior cloning (data-parallel, " + workers + " workers)...");
            for (int epoch = 1; epoch <= config.nEpochs(); epoch++) {
                sparkNetwork.fit(training);
                if (epoch % reportInterval == 0) {
                    EpochLoss report = new EpochLoss(epoch, sparkNetwork.calculateScore(training, true),
                            validating ? sparkNetwork.calculateScore(validation, true) : Double.NaN);
                    logger.record("pretrain/epoch", epoch);
                    logger.record("pretrain/train_loss", report.trainLoss());
                    logger.record("pretrain/val_loss", report.validationLoss());
                    logger.dump(epoch);
                    reports.add(report);
                }
            }
            model.loadParameters(layout.copyFromNetwork(sparkNetwork.getNetwork()), false);
            logger.info("Pretraining done.");
            return reports;
        } finally {
            training.unpersist(false);
            validation.unpersist(false);
        }
    }

    /**
     * The steps as cached minibatches on the executors: hash-partitioned into one partition per
     * worker by a second seeded hash, in that hash's order within each partition, cut every
     * {@code batchSizePerWorker} rows (each partition's last minibatch holds the rest). Lazy.
     */
    private JavaRDD<DataSet> minibatches(Dataset<Row> steps, int workers, Config config) {
        Column shuffleKey = xxhash64(lit(config.seed() + 1), col("run_id"), col("episode_id"), col("t"));
        return steps.select(col("obs"), col("action"), shuffleKey.as("shuffle_key"))
                .repartition(workers, col("shuffle_key"))
                .sortWithinPartitions("shuffle_key")
                .toJavaRDD()
                .mapPartitions(new ToMinibatches(layout.encoding(), config.batchSizePerWorker()))
                .persist(CACHE);
    }

    /**
     * The action path of an actor-critic policy as a DL4J network, built from the policy's own spec of it
     * ({@link ActorCriticPolicy#actionPath()}: names, widths, activations); how observations and actions become
     * features and labels; and the copies of parameters between the model (TF layout, {@code (in, out)}
     * row-major) and DL4J.
     */
    private record PolicyLayout(MlpSpec spec, Encoding encoding) {

        static PolicyLayout of(ActorCriticPolicy policy) {
            Space actionSpace = policy.actionSpace();
            if (!(actionSpace instanceof Discrete) && !(actionSpace instanceof Box)) {
                throw new IllegalArgumentException("data-parallel behavior cloning needs Discrete or Box actions (as the reference's "
                        + "pretrain), not " + actionSpace + "; the driver-side model.pretrain supports it");
            }
            Space observationSpace = policy.observationSpace();
            int discreteObservations;
            if (observationSpace instanceof Discrete d) {
                discreteObservations = d.n();
            } else if (observationSpace instanceof Box || observationSpace instanceof MultiBinary) {
                discreteObservations = 0;
            } else {
                throw new IllegalArgumentException("data-parallel behavior cloning needs Box, MultiBinary or Discrete observations, not "
                        + observationSpace + "; the driver-side model.pretrain supports it");
            }
            MlpSpec spec = policy.actionPath();
            Encoding encoding = new Encoding(observationSpace.flatDim(), discreteObservations, actionSpace instanceof Discrete, spec.outputDim());
            return new PolicyLayout(spec, encoding);
        }

        /**
         * For Discrete actions, fails naming the first selected step whose action is not in the
         * space (one SQL pass on the executors); Box actions are not bounds-checked, as the driver-side mode.
         */
        void checkValues(Dataset<Row> steps, ExpertQuery query) {
            if (!encoding.discreteActions()) {
                return;
            }
            Column action = element_at(col("action"), 1);
            Column valid = action.geq(lit(0)).and(action.lt(lit(encoding.actionWidth()))).and(floor(action).equalTo(action));
            List<Row> bad = steps.where(not(valid)).select("run_id", "episode_id", "t", "action").limit(1).collectAsList();
            if (!bad.isEmpty()) {
                Row row = bad.get(0);
                throw new IllegalArgumentException("the expert action at step " + row.getInt(2) + " of episode " + row.getLong(1) + " (run "
                        + row.getString(0) + ") of " + query.describe() + " is " + row.getList(3) + ", not in Discrete(" + encoding.actionWidth() + ")");
            }
        }

        /** The network: dense layers with the policy's activation, then the action head with the loss (see the class comment). */
        MultiLayerNetwork network(Config config) {
            NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                    .seed(config.seed())
                    .dataType(DataType.FLOAT)
                    .updater(new Adam(config.learningRate(), 0.9, 0.999, config.adamEpsilon()))
                    .weightInit(WeightInit.ZERO) // overwritten with the policy's parameters
                    .list();
            List<LayerSpec> specLayers = spec.layers();
            int in = spec.inputDim();
            int hidden = specLayers.size() - 1;
            for (int i = 0; i < hidden; i++) {
                LayerSpec layer = specLayers.get(i);
                layers.layer(new DenseLayer.Builder().nIn(in).nOut(layer.units()).activation(Nd4jMlp.dl4jActivation(layer.activation())).build());
                in = layer.units();
            }
            int out = specLayers.get(hidden).units();
            OutputLayer head = encoding.discreteActions()
                    ? new OutputLayer.Builder(LossFunction.MCXENT).activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                            .nIn(in).nOut(out).build()
                    : new OutputLayer.Builder(LossFunction.MSE).activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                            .nIn(in).nOut(out).build();
            layers.layer(head);
            MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
            network.init();
            return network;
        }

        /** Sets the network's weights and biases to the model's parameters of the same layers. */
        void copyToNetwork(Map<String, float[]> parameters, MultiLayerNetwork network) {
            int in = spec.inputDim();
            for (int i = 0; i < spec.layers().size(); i++) {
                LayerSpec layer = spec.layers().get(i);
                int out = layer.units();
                float[] weights = require(parameters, layer.name() + "/w:0", (long) in * out);
                float[] bias = require(parameters, layer.name() + "/b:0", out);
                network.getLayer(i).setParam(DefaultParamInitializer.WEIGHT_KEY, Nd4j.create(weights, new long[] {in, out}, 'c'));
                network.getLayer(i).setParam(DefaultParamInitializer.BIAS_KEY, Nd4j.create(bias, new long[] {1, out}, 'c'));
                in = out;
            }
        }

        /** The network's weights and biases under the model's parameter names. */
        Map<String, float[]> copyFromNetwork(MultiLayerNetwork network) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (int i = 0; i < spec.layers().size(); i++) {
                String name = spec.layers().get(i).name();
                out.put(name + "/w:0", rowMajor(network.getLayer(i).getParam(DefaultParamInitializer.WEIGHT_KEY)));
                out.put(name + "/b:0", rowMajor(network.getLayer(i).getParam(DefaultParamInitializer.BIAS_KEY)));
            }
            return out;
        }

        private static float[] rowMajor(INDArray array) {
            return array.dup('c').reshape(array.length()).toFloatVector();
        }

        private static float[] require(Map<String, float[]> parameters, String name, long size) {
            float[] values = parameters.get(name);
            if (values == null || values.length != size) {
                throw new IllegalStateException("the policy's parameter " + name + (values == null ? " is missing" : " has " + values.length
                        + " values where its net_arch gives " + size) + "; its parameters are " + parameters.keySet());
            }
            return values;
        }
    }
}
