package org.sparkbaselines.distributions;

import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;

/**
 * SAC's tanh-squashed diagonal Gaussian, as the reference computes it: a reparameterized sample
 * {@code u = mean + exp(logStd) * noise} (noise standard normal, given, so the sample is differentiable in
 * the mean and the log std), the action {@code tanh(u)}, and its log-probability
 * <pre>
 *   log p(u) = sum(-0.5 * (((u - mean) / (exp(logStd) + 1e-6))^2 + 2 logStd + log(2 pi)))
 *   log p(a) = log p(u) - sum(log(1 - tanh(u)^2 + 1e-6))
 * </pre>
 * with the reference's 1e-6 in both places. {@code logStd} is as given (SAC's policy clips it to
 * {@code [-20, 2]} first); it may be state-dependent ({@code rows x d}).
 */
public final class SquashedDiagGaussian {
    /** The reference's {@code EPS}. */
    private static final float EPS = 1e-6f;
    private static final float LOG_TWO_PI = (float) Math.log(2 * Math.PI);

    /**
     * A sample and its log-probability.
     *
     * @param action {@code tanh(u)}, in {@code (-1, 1)}
     * @param logProb {@code log p(action)}, a column
     */
    public record Sample(Tensor action, Tensor logProb) {
    }

    /** The reparameterized sample for the given standard-normal {@code noise} (same shape as {@code mean}). */
    public Sample sample(Tape tape, Tensor mean, Tensor logStd, Tensor noise) {
        Tensor std = tape.exp(logStd);
        Tensor u = tape.add(mean, tape.multiply(std, noise));
        Tensor z = tape.divide(tape.subtract(u, mean), tape.affine(std, 1f, EPS));
        Tensor gaussian = tape.scale(tape.sumFeatures(tape.add(tape.square(z), tape.affine(logStd, 2f, LOG_TWO_PI))), -0.5f);
        Tensor action = tape.tanh(u);
        Tensor correction = tape.sumFeatures(tape.log(tape.affine(tape.square(action), -1f, 1f + EPS)));
        return new Sample(action, tape.subtract(gaussian, correction));
    }

    /** The deterministic action: {@code tanh(mean)}. */
    public Tensor mode(Tape tape, Tensor mean) {
        return tape.tanh(mean);
    }
}
