package org.sparkbaselines.algos.a2c;

import org.sparkbaselines.policies.SplitLoss;

/**
 * A2C's loss over a rollout and its derivatives with respect to each sample's log-probability,
 * entropy and value:
 * {@code L = mean(-logp * A) - entCoef * mean(H) + vfCoef * mean((V - R)^2)}, with the advantages
 * {@code A = R - V_old} held fixed.
 */
final class ActorCriticLoss implements SplitLoss {
    double policyLoss;
    double valueLoss;
    double entropy;
    private float[] advantages;
    private float[] returns;
    private double entCoef;
    private double vfCoef;

    /** Sets the rollout's advantages, returns and coefficients for the next {@link #policyTerms} and {@link #valueTerms}. */
    ActorCriticLoss bind(float[] advantages, float[] returns, double entCoef, double vfCoef) {
        this.advantages = advantages;
        this.returns = returns;
        this.entCoef = entCoef;
        this.vfCoef = vfCoef;
        return this;
    }

    /** {@link #bind}, then both halves. */
    void compute(int n, float[] logProb, float[] advantages, float[] entropyValues, float[] value, float[] returns, double entCoef,
            double vfCoef, float[] dLogProb, float[] dEntropy, float[] dValue) {
        bind(advantages, returns, entCoef, vfCoef);
        policyTerms(n, logProb, entropyValues, dLogProb, dEntropy);
        valueTerms(n, value, dValue);
    }

    @Override
    public void policyTerms(int n, float[] logProb, float[] entropyValues, float[] dLogProb, float[] dEntropy) {
        double pg = 0;
        double h = 0;
        for (int i = 0; i < n; i++) {
            pg -= logProb[i] * advantages[i];
            h += entropyValues[i];
            dLogProb[i] = -advantages[i] / n;
            dEntropy[i] = (float) (-entCoef / n);
        }
        policyLoss = pg / n;
        entropy = h / n;
    }

    @Override
    public void valueTerms(int n, float[] value, float[] dValue) {
        double vf = 0;
        for (int i = 0; i < n; i++) {
            double error = value[i] - returns[i];
            vf += error * error;
            dValue[i] = (float) (vfCoef * 2 * error / n);
        }
        valueLoss = vf / n;
    }

    /** The whole loss of the last rollout. */
    double total() {
        return policyLoss - entCoef * entropy + vfCoef * valueLoss;
    }
}
