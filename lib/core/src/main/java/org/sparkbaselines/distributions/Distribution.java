package org.sparkbaselines.distributions;

import java.util.SplittableRandom;

/**
 * A policy's action distribution: SB2's {@code ProbabilityDistributionType} and
 * {@code ProbabilityDistribution} in one object that holds only sizes. One instance serves a policy
 * for its whole life; every method takes a batch of parameter rows the policy network produced.
 *
 * <p>Conventions shared by all methods:
 * <ul>
 *   <li>{@code params}: one row per observation of exactly {@link #paramDim()} floats, SB2's
 *       {@code flatparam()} without the Gaussian's log standard deviations (logits, or the Gaussian
 *       mean).</li>
 *   <li>{@code logStd}: the state-independent log standard deviations the policy holds as a trainable
 *       vector of {@link #logStdDim()} entries (SB2's {@code pi/logstd}, initialised to 0). Only the
 *       diagonal Gaussian uses it; the others ignore it, so pass {@code null}.</li>
 *   <li>{@code actions}: rows of {@link #actionDim()} floats in the action space's flat layout: a
 *       Discrete index as one float, one index per MultiDiscrete entry, 0/1 per MultiBinary bit, Box
 *       values as they are.</li>
 *   <li>Only the first {@code batch} rows or entries are read or written, so buffers sized for the
 *       largest batch can be reused for smaller ones.</li>
 *   <li>Logarithms are natural; SB2's {@code neglogp(x)} is {@code -logProb}.</li>
 * </ul>
 * Implementations allocate nothing, keep no mutable state and are safe to share between threads.
 */
public interface Distribution {

    /** Number of parameters per observation, the width of the policy's action head. */
    int paramDim();

    /** Number of floats one action occupies in the action space's flat layout. */
    int actionDim();

    /**
     * Length of the state-independent log standard deviation vector the policy must hold and train:
     * the action size for the diagonal Gaussian, 0 for the other distributions.
     */
    int logStdDim();

    /**
     * Draws one action per row into {@code actionsOut}.
     *
     * @param params     parameter rows
     * @param logStd     log standard deviations ({@code null} unless {@link #logStdDim()} > 0)
     * @param batch      number of rows to process
     * @param random     source of randomness, advanced by the draws
     * @param actionsOut rows of {@link #actionDim()} floats receiving the actions
     */
    void sample(float[][] params, float[] logStd, int batch, SplittableRandom random, float[][] actionsOut);

    /**
     * Writes each row's most likely action (SB2's {@code mode()}, the deterministic action) into
     * {@code actionsOut}: the argmax logit, the Gaussian mean, or 1 where a Bernoulli logit is positive.
     */
    void mode(float[][] params, int batch, float[][] actionsOut);

    /** Writes the log-probability (log-density for the Gaussian) of each row's action into {@code out}. */
    void logProb(float[][] params, float[] logStd, float[][] actions, int batch, float[] out);

    /** Writes each row's entropy into {@code out}. */
    void entropy(float[][] params, float[] logStd, int batch, float[] out);

    /**
     * {@link #logProb} and {@link #entropy} in one call, as a training pass needs them; distributions
     * whose two share work (the softmax's normaliser) compute it once.
     */
    void logProbAndEntropy(float[][] params, float[] logStd, float[][] actions, int batch, float[] logProbOut, float[] entropyOut);

    /**
     * Writes each row's Kullback-Leibler divergence {@code KL(P || Q)} into {@code out}, SB2's
     * {@code p.kl(q)} (TRPO's {@code kloldnew} is {@code kl(old, new)}).
     */
    void kl(float[][] paramsP, float[] logStdP, float[][] paramsQ, float[] logStdQ, int batch, float[] out);

    /**
     * Backpropagates a loss that depends on the batch through each row's log-probability and entropy:
     * for {@code L = sum_b dLogp[b] * logProb_b + dEntropy[b] * entropy_b} (plus whatever else the
     * caller's loss holds), ADDS {@code dL/dparams} into {@code gradParams} and, for the Gaussian,
     * {@code dL/dlogStd} summed over the batch into {@code gradLogStd}.
     *
     * @param dLogp      per-row upstream derivative of the loss with respect to the log-probability
     * @param dEntropy   per-row upstream derivative of the loss with respect to the entropy
     * @param gradParams rows of {@link #paramDim()} floats the parameter gradients are added to
     * @param gradLogStd vector of {@link #logStdDim()} floats the log std gradient is added to
     *                   ({@code null} unless {@link #logStdDim()} > 0)
     */
    void backward(float[][] params, float[] logStd, float[][] actions, int batch,
            float[] dLogp, float[] dEntropy, float[][] gradParams, float[] gradLogStd);
}
