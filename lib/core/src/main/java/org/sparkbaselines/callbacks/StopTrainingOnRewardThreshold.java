package org.sparkbaselines.callbacks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training once the evaluations' best mean episode reward reaches a threshold, the reference's
 * {@code StopTrainingOnRewardThreshold(reward_threshold, verbose=0)}. It must be the
 * {@code callbackOnNewBest} of an {@link EvalCallback}; anywhere else {@code learn} fails at its start.
 */
public final class StopTrainingOnRewardThreshold extends BaseCallback {
    private static final Logger LOG = LoggerFactory.getLogger(StopTrainingOnRewardThreshold.class);

    private final double rewardThreshold;

    /** Silently. */
    public StopTrainingOnRewardThreshold(double rewardThreshold) {
        this(rewardThreshold, 0);
    }

    /**
     * @param rewardThreshold the best mean episode reward at which to stop
     * @param verbose 1 or more logs why training stops (default 0)
     */
    public StopTrainingOnRewardThreshold(double rewardThreshold, int verbose) {
        super(verbose);
        this.rewardThreshold = rewardThreshold;
    }

    @Override
    protected void atInit() {
        if (!(parent instanceof EvalCallback)) {
            throw new IllegalStateException("StopTrainingOnRewardThreshold must be used as the callbackOnNewBest of an EvalCallback");
        }
    }

    @Override
    protected boolean atStep() {
        double bestMeanReward = ((EvalCallback) parent).bestMeanReward();
        boolean continueTraining = bestMeanReward < rewardThreshold;
        if (!continueTraining && verbose > 0) {
            LOG.info(String.format("Stopping training because the mean reward %.2f is above the threshold %s", bestMeanReward,
                    rewardThreshold));
        }
        return continueTraining;
    }
}
