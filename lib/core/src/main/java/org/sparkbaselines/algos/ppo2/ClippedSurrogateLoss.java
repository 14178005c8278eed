package org.sparkbaselines.algos.ppo2;

import org.sparkbaselines.policies.SplitLoss;

/**
 * PPO2's minibatch loss and its derivatives with respect to each sample's log-probability, entropy
 * and value, what the policy back-propagates:
 * <pre>
 *   L = mean(max(-A r, -A clip(r, 1-eps, 1+eps))) - entCoef mean(H) + vfCoef 0.5 mean(max((V-R)^2, (Vclip-R)^2))
 * </pre>
 * with {@code r = exp(logp - logp_old)} and {@code Vclip = V_old + clip(V - V_old, -epsVf, epsVf)}
 * ({@code epsVf < 0}: no value clipping). The max is taken tie-free: inside the clip range the
 * unclipped term carries the gradient, so it is not counted twice.
 */
public final class ClippedSurrogateLoss implements SplitLoss {
    /** Mean clipped surrogate term of the last minibatch. */
    public double policyLoss;
    /** Mean (clipped) value loss, with the 0.5 factor. */
    public double valueLoss;
    /** Mean entropy. */
    public double entropy;
    /** {@code 0.5 * mean((logp - logp_old)^2)}. */
    public double approxKl;
    /** Fraction of samples with {@code |ratio - 1| > clip}. */
    public double clipFraction;
    private float[] oldLogProb;
    private float[] advantage;
    private float[] oldValue;
    private float[] returns;
    private double clip;
    private double clipVf;
    private double entCoef;
    private double vfCoef;

    /** Sets the minibatch's rollout data and coefficients for the next {@link #policyTerms} and {@link #valueTerms}. */
    public ClippedSurrogateLoss bind(float[] oldLogProb, float[] advantage, float[] oldValue, float[] returns, double clip, double clipVf,
            double entCoef, double vfCoef) {
        this.oldLogProb = oldLogProb;
        this.advantage = advantage;
        this.oldValue = oldValue;
        this.returns = returns;
        this.clip = clip;
        this.clipVf = clipVf;
        this.entCoef = entCoef;
        this.vfCoef = vfCoef;
        return this;
    }

    /**
     * Computes the loss terms for {@code m} samples and writes {@code dL/dlogp}, {@code dL/dH} and
     * {@code dL/dV} per sample: {@link #bind}, then both halves.
     */
    public void compute(int m, float[] logProb, float[] oldLogProb, float[] advantage, float[] entropyValues, float[] value, float[] oldValue,
            float[] returns, double clip, double clipVf, double entCoef, double vfCoef, float[] dLogProb, float[] dEntropy, float[] dValue) {
        bind(oldLogProb, advantage, oldValue, returns, clip, clipVf, entCoef, vfCoef);
        policyTerms(m, logProb, entropyValues, dLogProb, dEntropy);
        valueTerms(m, value, dValue);
    }

    @Override
    public void policyTerms(int m, float[] logProb, float[] entropyValues, float[] dLogProb, float[] dEntropy) {
        double pg = 0;
        double h = 0;
        double kl = 0;
        int clipped = 0;
        for (int j = 0; j < m; j++) {
            double logRatio = logProb[j] - oldLogProb[j];
            double ratio = Math.exp(logRatio);
            double a = advantage[j];
            double unclippedLoss = -a * ratio;
            double clippedLoss = -a * Math.max(1 - clip, Math.min(1 + clip, ratio));
            boolean unclippedActive = unclippedLoss >= clippedLoss;
            pg += unclippedActive ? unclippedLoss : clippedLoss;
            dLogProb[j] = (float) ((unclippedActive ? -a * ratio : 0) / m);
            dEntropy[j] = (float) (-entCoef / m);
            h += entropyValues[j];
            kl += 0.5 * logRatio * logRatio;
            if (Math.abs(ratio - 1) > clip) {
                clipped++;
            }
        }
        policyLoss = pg / m;
        entropy = h / m;
        approxKl = kl / m;
        clipFraction = (double) clipped / m;
    }

    @Override
    public void valueTerms(int m, float[] value, float[] dValue) {
        double vf = 0;
        for (int j = 0; j < m; j++) {
            double error = value[j] - returns[j];
            double dError = error;
            if (clipVf >= 0) {
                double delta = value[j] - oldValue[j];
                double clippedError = oldValue[j] + Math.max(-clipVf, Math.min(clipVf, delta)) - returns[j];
                if (clippedError * clippedError > error * error) {
                    dError = Math.abs(delta) < clipVf ? clippedError : 0;
                    error = clippedError;
                }
            }
            vf += 0.5 * error * error;
            dValue[j] = (float) (vfCoef * dError / m);
        }
        valueLoss = vf / m;
    }

    /** The whole loss of the last minibatch. */
    public double total() {
        return policyLoss - entCoef * entropy + vfCoef * valueLoss;
    }
}
