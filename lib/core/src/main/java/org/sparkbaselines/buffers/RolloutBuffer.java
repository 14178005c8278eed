package org.sparkbaselines.buffers;

/**
 * The on-policy rollout storage of PPO2, A2C and the other on-policy algorithms: {@code nSteps}
 * transitions from each of {@code nEnvs} envs, then returns and advantages by GAE.
 *
 * <p>Rows are indexed {@code step * nEnvs + env}. {@code episodeStarts[row]} says the observation of
 * that row began an episode (the reference's {@code mb_dones}). Time-limit truncation is not
 * termination: the collector adds {@code gamma * V(terminal observation)} to the reward of a
 * truncated step before calling {@link #add}, as SB3 does, so the episode boundary cuts the
 * bootstrap without losing the value of the state that was cut.
 */
public final class RolloutBuffer {
    private final int nSteps;
    private final int nEnvs;
    private final float[][] observations;
    private final float[][] actions;
    private final double[] rewards;
    private final boolean[] episodeStarts;
    private final float[] values;
    private final float[] logProbs;
    private final float[] advantages;
    private final float[] returns;
    private int step;

    public RolloutBuffer(int nSteps, int nEnvs, int obsDim, int actionDim) {
        if (nSteps < 1 || nEnvs < 1) {
            throw new IllegalArgumentException("a rollout buffer needs nSteps and nEnvs >= 1, got " + nSteps + " and " + nEnvs);
        }
        this.nSteps = nSteps;
        this.nEnvs = nEnvs;
        int size = nSteps * nEnvs;
        observations = new float[size][obsDim];
        actions = new float[size][actionDim];
        rewards = new double[size];
        episodeStarts = new boolean[size];
        values = new float[size];
        logProbs = new float[size];
        advantages = new float[size];
        returns = new float[size];
    }

    /** Empties the buffer for the next rollout. */
    public void reset() {
        step = 0;
    }

    public boolean isFull() {
        return step == nSteps;
    }

    /** Stores one step of every env; arrays are copied. */
    public void add(float[][] obs, float[][] action, double[] reward, boolean[] episodeStart, float[] value, float[] logProb) {
        if (isFull()) {
            throw new IllegalStateException("rollout buffer is full (" + nSteps + " steps)");
        }
        int base = step * nEnvs;
        for (int e = 0; e < nEnvs; e++) {
            System.arraycopy(obs[e], 0, observations[base + e], 0, observations[base + e].length);
            System.arraycopy(action[e], 0, actions[base + e], 0, actions[base + e].length);
            rewards[base + e] = reward[e];
            episodeStarts[base + e] = episodeStart[e];
            values[base + e] = value[e];
            logProbs[base + e] = logProb[e];
        }
        step++;
    }

    /**
     * Generalized advantage estimation over the stored rollout:
     * {@code delta = r + gamma * V(next) * (1 - nextStart) - V}, {@code A = delta + gamma * lambda * (1 - nextStart) * A(next)},
     * {@code returns = A + V}. {@code lastValues} are the values of the observations after the last step and
     * {@code lastEpisodeStarts} whether those began new episodes. With {@code lambda = 1} the returns are A2C's
     * bootstrapped discounted n-step returns.
     */
    public void computeReturnsAndAdvantage(float[] lastValues, boolean[] lastEpisodeStarts, double gamma, double lambda) {
        if (!isFull()) {
            throw new IllegalStateException("rollout buffer holds " + step + " of " + nSteps + " steps");
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
