package org.sparkbaselines.algos.a2c;

/**
 * A2C's loss over a rollout and its derivatives with respect to each sample's log-probability,
 * entropy and value:
 * {@code L = mean(-logp * A) - entCoef * mean(H) + vfCoef * mean((V - R)^2)}, with the advantages
 * {@code A = R - V_old} held fixed.
 */
final class ActorCriticLoss {
    double policyLoss;
    double valueLoss;
    double entropy;
    double total;

    void compute(int n, float[] logProb, float[] advantages, float[] entropyValues, float[] value, float[] returns, double entCoef,
            double vfCoef, float[] dLogProb, float[] dEntropy, float[] dValue) {
        double pg = 0;
        double vf = 0;
        double h = 0;
        for (int i = 0; i < n; i++) {
            double error = value[i] - returns[i];
            pg -= logProb[i] * advantages[i];
            vf += error * error;
            h += entropyValues[i];
            dLogProb[i] = -advantages[i] / n;
            dEntropy[i] = (float) (-entCoef / n);
            dValue[i] = (float) (vfCoef * 2 * error / n);
        }
        policyLoss = pg / n;
        valueLoss = vf / n;
        entropy = h / n;
        total = policyLoss - entCoef * entropy + vfCoef * valueLoss;
    }
}
