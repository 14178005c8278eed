package org.sparkbaselines.distributions;

import java.util.Objects;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/**
 * An action distribution as expressions on a {@link Tape}, so that any loss written with them is
 * differentiated by the tape: a sample (reparameterized where continuous) and the mode, the log-probability of
 * given actions, the entropy and the KL divergence,
 * each a column (one value per row; a distribution whose parameters do not depend on the row, such as a
 * state-independent log std, may give one row that broadcasts). Parameters are laid out as in
 * {@link Distribution}: logits (end to end for {@code MultiDiscrete}), or the Gaussian's mean with a
 * separate {@code logStd} ({@code (1, d)} when state-independent, {@code (rows, d)} when not; null for
 * the others).
 */
public sealed interface DifferentiableDistribution {

    /** {@code log p(actions)}; actions are rows in the action space's flat layout (indices as floats for discrete spaces). */
    Tensor logProb(Tape tape, Tensor params, Tensor logStd, Tensor actions);

    Tensor entropy(Tape tape, Tensor params, Tensor logStd);

    /**
     * A sample, rows in the action space's flat layout, drawn with the caller's {@code noise} (same shape as {@code params}):
     * for a Gaussian, standard normal noise and the reparameterized {@code mean + exp(logStd) noise}, differentiable in both;
     * for the discrete distributions, uniform noise in (0, 1): Gumbel-max over each categorical's logits
     * ({@code argmax(l - log(-log(u)))}, an index per sub-action) and {@code u < sigmoid(l)} for a Bernoulli, a constant.
     */
    Tensor sample(Tape tape, Tensor params, Tensor logStd, Tensor noise);

    /** The most likely action (the Gaussian's mean, each categorical's argmax, {@code l > 0} for a Bernoulli), rows as {@link #sample}. */
    Tensor mode(Tape tape, Tensor params, Tensor logStd);

    /** {@code KL(p || q)}. */
    Tensor kl(Tape tape, Tensor params, Tensor logStd, Tensor otherParams, Tensor otherLogStd);

    /**
     * A scalar whose gradient is {@code F v}: {@code F} the Fisher information of the distribution over the
     * network's parameters, averaged over the rows (the Hessian of the mean {@code KL(p_old || p)} at
     * {@code p = p_old}), and {@code v} the variables' tangents. Call after {@link Tape#jvp()} has given
     * {@code params} and {@code logStd} their tangents {@code J v}; the scalar is {@code mean(params . M J v)}
     * with the distribution's own Fisher {@code M} held constant, so one backward pass gives {@code J^T M J v}
     * and no second derivative is needed.
     */
    Tensor fisherVectorProduct(Tape tape, Tensor params, Tensor logStd);

    /** The distribution the reference uses for the action space. */
    static DifferentiableDistribution forActionSpace(Space actionSpace) {
        Objects.requireNonNull(actionSpace, "actionSpace");
        if (actionSpace instanceof Discrete discrete) {
            return new Categorical(new int[] {discrete.n()});
        }
        if (actionSpace instanceof MultiDiscrete multiDiscrete) {
            return new Categorical(multiDiscrete.nvec());
        }
        if (actionSpace instanceof MultiBinary) {
            return new Bernoulli();
        }
        if (actionSpace instanceof Box) {
            return new DiagGaussian();
        }
        throw new IllegalArgumentException("no probability distribution for action space " + actionSpace
                + "; it must be a Box, Discrete, MultiDiscrete or MultiBinary");
    }

    /** Independent categoricals, one per entry of {@code nvec}, their logits end to end (a {@code Discrete} space has one). */
    final class Categorical implements DifferentiableDistribution {
        private final int[] nvec;
        /** The chosen index of each row, filled from the action rows for each gather (which copies it). */
        private int[] chosen = new int[0];

        Categorical(int[] nvec) {
            this.nvec = nvec.clone();
        }

        @Override
        public Tensor logProb(Tape tape, Tensor params, Tensor logStd, Tensor actions) {
            Tensor total = null;
            int offset = 0;
            for (int k = 0; k < nvec.length; k++) {
                Tensor logits = tape.slice(params, offset, offset + nvec[k]);
                Tensor term = tape.gather(tape.logSoftmax(logits), indices(actions, k));
                total = total == null ? term : tape.add(total, term);
                offset += nvec[k];
            }
            return total;
        }

        @Override
        public Tensor entropy(Tape tape, Tensor params, Tensor logStd) {
            Tensor total = null;
            int offset = 0;
            for (int n : nvec) {
                Tensor logProbs = tape.logSoftmax(tape.slice(params, offset, offset + n));
                Tensor term = tape.scale(tape.sumFeatures(tape.multiply(tape.exp(logProbs), logProbs)), -1f);
                total = total == null ? term : tape.add(total, term);
                offset += n;
            }
            return total;
        }

        @Override
        public Tensor kl(Tape tape, Tensor params, Tensor logStd, Tensor otherParams, Tensor otherLogStd) {
            Tensor total = null;
            int offset = 0;
            for (int n : nvec) {
                Tensor p = tape.logSoftmax(tape.slice(params, offset, offset + n));
                Tensor q = tape.logSoftmax(tape.slice(otherParams, offset, offset + n));
                Tensor term = tape.sumFeatures(tape.multiply(tape.exp(p), tape.subtract(p, q)));
                total = total == null ? term : tape.add(total, term);
                offset += n;
            }
            return total;
        }

        @Override
        public Tensor sample(Tape tape, Tensor params, Tensor logStd, Tensor noise) {
            return choose(tape, params, noise);
        }

        @Override
        public Tensor mode(Tape tape, Tensor params, Tensor logStd) {
            return choose(tape, params, null);
        }

        /** Per row and sub-action the index of the largest {@code l - log(-log(u))} (Gumbel-max), or of the largest logit without noise. */
        private Tensor choose(Tape tape, Tensor params, Tensor uniform) {
            float[] chosenRows = new float[params.rows() * nvec.length];
            for (int i = 0; i < params.rows(); i++) {
                int offset = 0;
                for (int k = 0; k < nvec.length; k++) {
                    int best = 0;
                    double bestScore = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < nvec[k]; j++) {
                        double score = params.get(i, offset + j);
                        if (uniform != null) {
                            score -= Math.log(-Math.log(uniform.get(i, offset + j)));
                        }
                        if (score > bestScore) {
                            bestScore = score;
                            best = j;
                        }
                    }
                    chosenRows[i * nvec.length + k] = best;
                    offset += nvec[k];
                }
            }
            return tape.constant(chosenRows, params.rows(), nvec.length);
        }

        /** Per sub-action, {@code M u = p (u - sum(p u))} for logits. */
        @Override
        public Tensor fisherVectorProduct(Tape tape, Tensor params, Tensor logStd) {
            Tensor total = null;
            int offset = 0;
            Tensor tangents = tape.tangentOf(params);
            for (int n : nvec) {
                Tensor p = tape.stopGradient(tape.exp(tape.logSoftmax(tape.slice(params, offset, offset + n))));
                Tensor u = tape.slice(tangents, offset, offset + n);
                Tensor fisherTimesU = tape.multiply(p, tape.subtract(u, tape.sumFeatures(tape.multiply(p, u))));
                Tensor term = tape.sum(tape.multiply(tape.slice(params, offset, offset + n), fisherTimesU));
                total = total == null ? term : tape.add(total, term);
                offset += n;
            }
            return tape.scale(total, 1f / params.rows());
        }

        private int[] indices(Tensor actions, int k) {
            if (chosen.length < actions.rows()) {
                chosen = new int[actions.rows()];
            }
            for (int i = 0; i < actions.rows(); i++) {
                chosen[i] = (int) actions.get(i, k);
            }
            return chosen;
        }
    }

    /** Independent Gaussians with mean {@code params} and standard deviation {@code exp(logStd)}. */
    final class DiagGaussian implements DifferentiableDistribution {
        private static final float HALF_LOG_TWO_PI = (float) (0.5 * Math.log(2 * Math.PI));

        DiagGaussian() {
        }

        @Override
        public Tensor logProb(Tape tape, Tensor mean, Tensor logStd, Tensor actions) {
            Tensor z = tape.divide(tape.subtract(actions, mean), tape.exp(logStd));
            Tensor perFeature = tape.add(tape.scale(tape.square(z), -0.5f), tape.affine(logStd, -1f, -HALF_LOG_TWO_PI));
            return tape.sumFeatures(perFeature);
        }

        @Override
        public Tensor entropy(Tape tape, Tensor mean, Tensor logStd) {
            return tape.sumFeatures(tape.affine(logStd, 1f, 0.5f + HALF_LOG_TWO_PI));
        }

        @Override
        public Tensor kl(Tape tape, Tensor mean, Tensor logStd, Tensor otherMean, Tensor otherLogStd) {
            Tensor variance = tape.exp(tape.scale(logStd, 2f));
            Tensor otherVariance = tape.exp(tape.scale(otherLogStd, 2f));
            Tensor spread = tape.divide(tape.add(variance, tape.square(tape.subtract(mean, otherMean))), tape.scale(otherVariance, 2f));
            return tape.sumFeatures(tape.affine(tape.add(tape.subtract(otherLogStd, logStd), spread), 1f, -0.5f));
        }

        /** {@code mean + exp(logStd) noise}: reparameterized, so gradients reach the mean and the log std. */
        @Override
        public Tensor sample(Tape tape, Tensor mean, Tensor logStd, Tensor noise) {
            return tape.add(mean, tape.multiply(tape.exp(logStd), noise));
        }

        @Override
        public Tensor mode(Tape tape, Tensor mean, Tensor logStd) {
            return mean;
        }

        /** {@code M = diag(1 / sigma^2)} for the mean, {@code 2} for the log std. */
        @Override
        public Tensor fisherVectorProduct(Tape tape, Tensor mean, Tensor logStd) {
            Tensor meanSeed = tape.stopGradient(tape.divide(tape.tangentOf(mean), tape.exp(tape.scale(logStd, 2f))));
            Tensor meanTerm = tape.scale(tape.sum(tape.multiply(mean, meanSeed)), 1f / mean.rows());
            // A state-independent log std (one row) is shared by every row: its mean over rows is itself.
            Tensor logStdTerm = tape.scale(tape.sum(tape.multiply(logStd, tape.tangentOf(logStd))), 2f / logStd.rows());
            return tape.add(meanTerm, logStdTerm);
        }
    }

    /** Independent Bernoulli variables with logits {@code params}. */
    final class Bernoulli implements DifferentiableDistribution {
        Bernoulli() {
        }

        /** {@code sum(a l - softplus(l))}, the negated sigmoid cross-entropy. */
        @Override
        public Tensor logProb(Tape tape, Tensor logits, Tensor logStd, Tensor actions) {
            return tape.sumFeatures(tape.subtract(tape.multiply(actions, logits), tape.softplus(logits)));
        }

        /** {@code sum(softplus(l) - sigmoid(l) l)}. */
        @Override
        public Tensor entropy(Tape tape, Tensor logits, Tensor logStd) {
            return tape.sumFeatures(tape.subtract(tape.softplus(logits), tape.multiply(tape.sigmoid(logits), logits)));
        }

        /** {@code sum(sigmoid(l) (l - m) - softplus(l) + softplus(m))}. */
        @Override
        public Tensor kl(Tape tape, Tensor logits, Tensor logStd, Tensor other, Tensor otherLogStd) {
            Tensor cross = tape.multiply(tape.sigmoid(logits), tape.subtract(logits, other));
            return tape.sumFeatures(tape.add(tape.subtract(cross, tape.softplus(logits)), tape.softplus(other)));
        }

        @Override
        public Tensor sample(Tape tape, Tensor logits, Tensor logStd, Tensor noise) {
            return threshold(tape, logits, noise);
        }

        @Override
        public Tensor mode(Tape tape, Tensor logits, Tensor logStd) {
            return threshold(tape, logits, null);
        }

        /** 1 where {@code u < sigmoid(l)} (or, without noise, where {@code l > 0}), else 0. */
        private static Tensor threshold(Tape tape, Tensor logits, Tensor uniform) {
            float[] bits = new float[logits.rows() * logits.cols()];
            for (int i = 0; i < logits.rows(); i++) {
                for (int j = 0; j < logits.cols(); j++) {
                    double l = logits.get(i, j);
                    boolean one = uniform == null ? l > 0 : uniform.get(i, j) < 1 / (1 + Math.exp(-l));
                    bits[i * logits.cols() + j] = one ? 1f : 0f;
                }
            }
            return tape.constant(bits, logits.rows(), logits.cols());
        }

        /** {@code M = diag(p (1 - p))} for logits. */
        @Override
        public Tensor fisherVectorProduct(Tape tape, Tensor logits, Tensor logStd) {
            Tensor p = tape.stopGradient(tape.sigmoid(logits));
            Tensor seed = tape.multiply(tape.multiply(p, tape.affine(p, -1f, 1f)), tape.tangentOf(logits));
            return tape.scale(tape.sum(tape.multiply(logits, seed)), 1f / logits.rows());
        }
    }
}
