package org.sparkbaselines.imitation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.sparkbaselines.imitation.ExpertDataset.Split;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.Trainable;
import org.sparkbaselines.policies.ActorCriticPolicy;

/**
 * Behavior cloning, the reference's {@code pretrain}: supervised training of a policy to reproduce
 * the expert's actions, with its own Adam optimizer (the algorithm's optimizer state is untouched).
 *
 * <p>The loss is the mean negative log-likelihood of the expert actions under the policy's action
 * distribution, for every action space. For Discrete actions this is the reference's cross-entropy.
 * For Box actions the Gaussian's state-independent log standard deviation is held fixed, so the loss
 * is a squared error on the mean weighted by {@code 1/sigma^2} plus a constant: with a fresh policy
 * ({@code sigma = 1}) and D action dimensions, {@code D/2} times the reference's MSE on the mean plus
 * {@code D log(2 pi)/2}. The policy's exploration noise is left for RL, as in the reference.
 *
 * <p>Every {@code valInterval} epochs it records {@code pretrain/epoch}, {@code pretrain/train_loss}
 * (the mean over the epoch's batches) and {@code pretrain/val_loss} (one pass over the validation
 * set) and dumps the logger with the epoch as step.
 */
public final class BehaviorCloning {

    /**
     * The reference's {@code pretrain} arguments.
     *
     * @param nEpochs passes over the training set (default 10)
     * @param learningRate Adam's learning rate (default 1e-4)
     * @param adamEpsilon Adam's epsilon (default 1e-8)
     * @param valInterval epochs between loss reports; null (the default) reports every tenth of
     *        {@code nEpochs} (every epoch below 10 epochs)
     */
    public record Config(int nEpochs, double learningRate, double adamEpsilon, Integer valInterval) {
        public static final Config DEFAULT = new Config(10, 1e-4, 1e-8, null);

        public Config {
            if (nEpochs <= 0) {
                throw new IllegalArgumentException("nEpochs must be positive, got " + nEpochs);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
            }
            if (!(adamEpsilon > 0)) {
                throw new IllegalArgumentException("adamEpsilon must be positive, got " + adamEpsilon);
            }
            if (valInterval != null && valInterval <= 0) {
                throw new IllegalArgumentException("valInterval must be positive, got " + valInterval);
            }
        }

        /** Epochs between loss reports: {@code valInterval}, or by default {@code max(1, nEpochs / 10)} as the reference. */
        public int reportInterval() {
            return valInterval != null ? valInterval : Math.max(1, nEpochs / 10);
        }
    }

    /** What behavior cloning minimizes: a batch's loss, and one optimizer step on it. */
    public interface Objective {
        /** The batch's loss, without training. */
        double loss(Batch batch);

        /** One optimizer step on the batch's loss at {@code learningRate}; returns the loss before the step. */
        double step(Batch batch, double learningRate);
    }

    /** The losses reported after {@code epoch} (counted from 1). */
    public record EpochLoss(int epoch, double trainLoss, double validationLoss) {
    }

    /** How the policy names the Gaussian's log standard deviation ({@code model/pi/logstd:0}, the reference's name). */
    private static final String LOG_STD_SUFFIX = "/logstd:0";

    private final ActorCriticPolicy policy;
    private float[] logProb = new float[0];
    private float[] dLogProb = new float[0];
    /** The loss depends on neither the entropy nor the value: their upstream gradients stay zero. */
    private float[] zeros = new float[0];

    /** Behavior cloning of {@code policy}, whose parameters {@link #train} updates in place. */
    public BehaviorCloning(ActorCriticPolicy policy) {
        this.policy = policy;
    }

    /**
     * Trains the policy on the dataset's training split for {@code config.nEpochs()} epochs.
     *
     * @param logger where the losses go (see the class comment)
     * @return the reported losses, one per report
     * @throws IllegalArgumentException when the dataset does not fit the policy's spaces (see {@link ExpertDataset#checkSpaces})
     */
    public List<EpochLoss> train(ExpertDataset dataset, Config config, Logger logger) {
        dataset.checkSpaces(policy.observationSpace(), policy.actionSpace());
        Optimizer optimizer = policy.backend().adam(trainablesExceptLogStd(), AdamConfig.DEFAULT.withEpsilon(config.adamEpsilon()));
        return train(dataset, config, logger, new Objective() {
            @Override
            public double loss(Batch batch) {
                return BehaviorCloning.this.loss(batch);
            }

            @Override
            public double step(Batch batch, double learningRate) {
                return BehaviorCloning.this.step(batch, optimizer, learningRate);
            }
        });
    }

    /**
     * Minimizes {@code objective} on the dataset's training split for {@code config.nEpochs()} epochs, reporting as
     * the class comment says (the dataset's spaces already checked).
     *
     * @return the reported losses, one per report
     */
    public static List<EpochLoss> train(ExpertDataset dataset, Config config, Logger logger, Objective objective) {
        int reportInterval = config.reportInterval();
        List<EpochLoss> reports = new ArrayList<>();
        logger.info("Pretraining with behavior cloning...");
        for (int epoch = 1; epoch <= config.nEpochs(); epoch++) {
            double trainLoss = meanOverEpoch(dataset, Split.TRAIN, batch -> objective.step(batch, config.learningRate()));
            if (epoch % reportInterval == 0) {
                EpochLoss report = new EpochLoss(epoch, trainLoss, meanOverEpoch(dataset, Split.VALIDATION, objective::loss));
                logger.record("pretrain/epoch", epoch);
                logger.record("pretrain/train_loss", report.trainLoss());
                logger.record("pretrain/val_loss", report.validationLoss());
                logger.dump(epoch);
                reports.add(report);
            }
        }
        logger.info("Pretraining done.");
        return reports;
    }

    /** The loss over one epoch of {@code split} (the mean of its batches' losses), without training. */
    public double meanLoss(ExpertDataset dataset, Split split) {
        return meanOverEpoch(dataset, split, this::loss);
    }

    private static double meanOverEpoch(ExpertDataset dataset, Split split, ToDoubleFunction<Batch> batchLoss) {
        int batches = dataset.batchesPerEpoch(split);
        double total = 0;
        for (int i = 0; i < batches; i++) {
            total += batchLoss.applyAsDouble(dataset.getNextBatch(split));
        }
        return total / batches;
    }

    /** One Adam step on the batch's loss; returns the loss before the step. */
    private double step(Batch batch, Optimizer optimizer, double learningRate) {
        double loss = loss(batch);
        int size = batch.size();
        Arrays.fill(dLogProb, 0, size, -1f / size);
        policy.zeroGrad();
        policy.backward(size, dLogProb, zeros, zeros);
        optimizer.step(learningRate, Double.NaN);
        return loss;
    }

    /** The batch's mean negative log-likelihood; leaves the forward pass for {@link ActorCriticPolicy#backward}. */
    private double loss(Batch batch) {
        int size = batch.size();
        ensureCapacity(size);
        policy.evaluateActions(batch.observations(), batch.actions(), size, logProb, null, null);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum -= logProb[i];
        }
        return sum / size;
    }

    /** Every trainable but the Gaussian's log standard deviation, which behavior cloning leaves as it is. */
    private List<Trainable> trainablesExceptLogStd() {
        return policy.trainables().stream().filter(t -> !(t instanceof ParameterVector v && v.name().endsWith(LOG_STD_SUFFIX))).toList();
    }

    private void ensureCapacity(int size) {
        if (logProb.length < size) {
            logProb = new float[size];
            dLogProb = new float[size];
            zeros = new float[size];
        }
    }
}
