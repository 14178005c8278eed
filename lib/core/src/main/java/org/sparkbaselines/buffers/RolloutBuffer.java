package org.sparkbaselines.buffers;

import org.sparkbaselines.rollout.RolloutFragment;

/**
 * The on-policy rollout storage of PPO2, A2C and the other on-policy algorithms: {@code nSteps}
 * transitions from each of {@code nEnvs} envs, then returns and advantages by GAE.
 *
 * <p>Rows are indexed {@code step * nEnvs + env}. {@code episodeStarts[row]} says the observation of
 * that row began an episode (the reference's {@code mb_dones}). It is filled from the
 * {@link RolloutFragment}s of rollout workers, which carry the value of each observation a time limit
 * cut an episode at (see {@link org.sparkbaselines.rollout.RolloutWorker}): by default its discounted
 * value is added to that step's reward, so the return bootstraps from it (SB3's correction); a buffer
 * made with {@code bootstrapTruncated = false} ends the return there, as at a terminal state (the
 * reference's behaviour).
 */
public final class RolloutBuffer {
    private final int nSteps;
    private final int nEnvs;
    private final float[][] observations;
    private final float[][] actions;
    private final double[] rewards;
    /** Per row, what {@link #addFragment} added to the reward for a truncated step ({@code gamma V(cut-off observation)}). */
    private final double[] truncationBootstrap;
    private final boolean[] episodeStarts;
    private final float[] values;
    private final float[] logProbs;
    private final float[] advantages;
    private final float[] returns;
    private final float[] lastValues;
    private final boolean[] lastEpisodeStarts;
    private final boolean bootstrapTruncated;
    private int filledEnvs;

    /** A buffer that bootstraps from the value of time-limit-truncated observations. */
    public RolloutBuffer(int nSteps, int nEnvs, int obsDim, int actionDim) {
        this(nSteps, nEnvs, obsDim, actionDim, true);
    }

    /** @param bootstrapTruncated false treats a time-limit truncation as a terminal state */
    public RolloutBuffer(int nSteps, int nEnvs, int obsDim, int actionDim, boolean bootstrapTruncated) {
        if (nSteps < 1 || nEnvs < 1) {
            throw new IllegalArgumentException("a rollout buffer needs nSteps and nEnvs >= 1, got " + nSteps + " and " + nEnvs);
        }
        this.nSteps = nSteps;
        this.nEnvs = nEnvs;
        int size = nSteps * nEnvs;
        observations = new float[size][obsDim];
        actions = new float[size][actionDim];
        rewards = new double[size];
        truncationBootstrap = new double[size];
        episodeStarts = new boolean[size];
        values = new float[size];
        logProbs = new float[size];
        advantages = new float[size];
        returns = new float[size];
        lastValues = new float[nEnvs];
        lastEpisodeStarts = new boolean[nEnvs];
        this.bootstrapTruncated = bootstrapTruncated;
    }

    /** Empties the buffer for the next rollout. */
    public void reset() {
        filledEnvs = 0;
    }

    /** Whether every env's column has been filled since the last {@link #reset()}. */
    public boolean isFull() {
        return filledEnvs == nEnvs;
    }

    /**
     * Copies a worker's fragment into env columns {@code envOffset .. envOffset + fragment.nEnvs - 1},
     * including the values after its last step; with {@code bootstrapTruncated}, a truncated step's
     * reward gains {@code gamma} times the value of its cut-off observation.
     */
    public void addFragment(RolloutFragment fragment, int envOffset, double gamma) {
        if (fragment.nSteps != nSteps || envOffset < 0 || envOffset + fragment.nEnvs > nEnvs) {
            throw new IllegalArgumentException("fragment of " + fragment.nSteps + " steps x " + fragment.nEnvs + " envs at env "
                    + envOffset + " does not fit a buffer of " + nSteps + " x " + nEnvs);
        }
        for (int t = 0; t < nSteps; t++) {
            for (int e = 0; e < fragment.nEnvs; e++) {
                int from = t * fragment.nEnvs + e;
                int row = t * nEnvs + envOffset + e;
                System.arraycopy(fragment.observations[from], 0, observations[row], 0, observations[row].length);
                System.arraycopy(fragment.actions[from], 0, actions[row], 0, actions[row].length);
                truncationBootstrap[row] = bootstrapTruncated ? gamma * fragment.bootstrapValues[from] : 0;
                rewards[row] = fragment.rewards[from] + truncationBootstrap[row];
                episodeStarts[row] = fragment.episodeStarts[from];
                values[row] = fragment.values[from];
                logProbs[row] = fragment.logProbs[from];
            }
        }
        System.arraycopy(fragment.lastValues, 0, lastValues, envOffset, fragment.nEnvs);
        System.arraycopy(fragment.lastEpisodeStarts, 0, lastEpisodeStarts, envOffset, fragment.nEnvs);
        filledEnvs += fragment.nEnvs;
    }

    /**
     * Replaces the env's rewards of every row with {@code newRewards} (GAIL's discriminator reward), keeping what a
     * truncated step's reward gained from bootstrapping.
     */
    public void replaceRewards(double[] newRewards) {
        if (newRewards.length != rewards.length) {
            throw new IllegalArgumentException(newRewards.length + " rewards for a rollout of " + rewards.length + " rows");
        }
        for (int row = 0; row < rewards.length; row++) {
            rewards[row] = newRewards[row] + truncationBootstrap[row];
        }
    }

    /**
     * Generalized advantage estimation over the stored rollout:
     * {@code delta = r + gamma * V(next) * (1 - nextStart) - V}, {@code A = delta + gamma * lambda * (1 - nextStart) * A(next)},
     * {@code returns = A + V}, where after the last step V(next) and nextStart are the fragments' last values and
     * episode starts. With {@code lambda = 1} the returns are A2C's bootstrapped discounted n-step returns.
     */
    public void computeReturnsAndAdvantage(double gamma, double lambda) {
        if (!isFull()) {
            throw new IllegalStateException("rollout buffer holds " + filledEnvs + " of " + nEnvs + " env columns");
        }
        for (int e = 0; e < nEnvs; e++) {
            double lastGae = 0;
            for (int t = nSteps - 1; t >= 0; t--) {
                int row = t * nEnvs + e;
                double nextNonTerminal;
                double nextValue;
                if (t == nSteps - 1) {
                    nextNonTerminal = lastEpisodeStarts[e] ? 0 : 1;
                    nextValue = lastValues[e];
                } else {
                    nextNonTerminal = episodeStarts[row + nEnvs] ? 0 : 1;
                    nextValue = values[row + nEnvs];
                }
                double delta = rewards[row] + gamma * nextValue * nextNonTerminal - values[row];
                lastGae = delta + gamma * lambda * nextNonTerminal * lastGae;
                advantages[row] = (float) lastGae;
                returns[row] = (float) (lastGae + values[row]);
            }
        }
    }

    public int size() {
        return nSteps * nEnvs;
    }

    public int nSteps() {
        return nSteps;
    }

    public int nEnvs() {
        return nEnvs;
    }

    public float[][] observations() {
        return observations;
    }

    public float[][] actions() {
        return actions;
    }

    public double[] rewards() {
        return rewards;
    }

    public boolean[] episodeStarts() {
        return episodeStarts;
    }

    public float[] values() {
        return values;
    }

    public float[] logProbs() {
        return logProbs;
    }

    public float[] advantages() {
        return advantages;
    }

    public float[] returns() {
        return returns;
    }
}
