package org.sparkbaselines.distributions;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The batch side of every {@link Distribution}: checks the arguments once per call, then hands each
 * row to the subclass. Subclasses only write the per-row math, returning doubles so that the results
 * are rounded to float once, at the batch boundary (and so tests can difference them in double).
 */
abstract class RowwiseDistribution implements Distribution {

    /** Draws one action for one row. */
    abstract void sampleRow(float[] params, float[] logStd, SplittableRandom random, float[] actionOut);

    /** Writes one row's most likely action. */
    abstract void modeRow(float[] params, float[] actionOut);

    /** One row's log-probability of {@code action}. */
    abstract double logProbRow(float[] params, float[] logStd, float[] action);

    /** One row's entropy. */
    abstract double entropyRow(float[] params, float[] logStd);

    /** Writes one row's log-probability and entropy to {@code logProbOut[at]} and {@code entropyOut[at]}. */
    void logProbAndEntropyRow(float[] params, float[] logStd, float[] action, float[] logProbOut, float[] entropyOut, int at) {
        logProbOut[at] = (float) logProbRow(params, logStd, action);
        entropyOut[at] = (float) entropyRow(params, logStd);
    }

    /** One row's {@code KL(P || Q)}. */
    abstract double klRow(float[] paramsP, float[] logStdP, float[] paramsQ, float[] logStdQ);

    /** Adds {@code dLogp * dlogProb/dθ + dEntropy * dentropy/dθ} for one row into the gradients. */
    abstract void backwardRow(float[] params, float[] logStd, float[] action, double dLogp, double dEntropy,
            float[] gradParams, float[] gradLogStd);

    @Override
    public final void sample(float[][] params, float[] logStd, int batch, SplittableRandom random, float[][] actionsOut) {
        checkRows(params, batch, paramDim(), "params");
        checkLogStd(logStd, "logStd");
        Objects.requireNonNull(random, "random");
        checkRows(actionsOut, batch, actionDim(), "actionsOut");
        for (int b = 0; b < batch; b++) {
            sampleRow(params[b], logStd, random, actionsOut[b]);
        }
    }

    @Override
    public final void mode(float[][] params, int batch, float[][] actionsOut) {
        checkRows(params, batch, paramDim(), "params");
        checkRows(actionsOut, batch, actionDim(), "actionsOut");
        for (int b = 0; b < batch; b++) {
            modeRow(params[b], actionsOut[b]);
        }
    }

    @Override
    public final void logProb(float[][] params, float[] logStd, float[][] actions, int batch, float[] out) {
        checkRows(params, batch, paramDim(), "params");
        checkLogStd(logStd, "logStd");
        checkRows(actions, batch, actionDim(), "actions");
        checkValues(out, batch, "out");
        for (int b = 0; b < batch; b++) {
            out[b] = (float) logProbRow(params[b], logStd, actions[b]);
        }
    }

    @Override
    public final void entropy(float[][] params, float[] logStd, int batch, float[] out) {
        checkRows(params, batch, paramDim(), "params");
        checkLogStd(logStd, "logStd");
        checkValues(out, batch, "out");
        for (int b = 0; b < batch; b++) {
            out[b] = (float) entropyRow(params[b], logStd);
        }
    }

    @Override
    public final void logProbAndEntropy(float[][] params, float[] logStd, float[][] actions, int batch, float[] logProbOut,
            float[] entropyOut) {
        checkRows(params, batch, paramDim(), "params");
        checkLogStd(logStd, "logStd");
        checkRows(actions, batch, actionDim(), "actions");
        checkValues(logProbOut, batch, "logProbOut");
        checkValues(entropyOut, batch, "entropyOut");
        for (int b = 0; b < batch; b++) {
            logProbAndEntropyRow(params[b], logStd, actions[b], logProbOut, entropyOut, b);
        }
    }

    @Override
    public final void kl(float[][] paramsP, float[] logStdP, float[][] paramsQ, float[] logStdQ, int batch, float[] out) {
        checkRows(paramsP, batch, paramDim(), "paramsP");
        checkLogStd(logStdP, "logStdP");
        checkRows(paramsQ, batch, paramDim(), "paramsQ");
        checkLogStd(logStdQ, "logStdQ");
        checkValues(out, batch, "out");
        for (int b = 0; b < batch; b++) {
            out[b] = (float) klRow(paramsP[b], logStdP, paramsQ[b], logStdQ);
        }
    }

    @Override
    public final void backward(float[][] params, float[] logStd, float[][] actions, int batch,
            float[] dLogp, float[] dEntropy, float[][] gradParams, float[] gradLogStd) {
        checkRows(params, batch, paramDim(), "params");
        checkLogStd(logStd, "logStd");
        checkRows(actions, batch, actionDim(), "actions");
        checkValues(dLogp, batch, "dLogp");
        checkValues(dEntropy, batch, "dEntropy");
        checkRows(gradParams, batch, paramDim(), "gradParams");
        checkLogStd(gradLogStd, "gradLogStd");
        for (int b = 0; b < batch; b++) {
            backwardRow(params[b], logStd, actions[b], dLogp[b], dEntropy[b], gradParams[b], gradLogStd);
        }
    }

    /** Requires at least {@code batch} rows, each exactly {@code width} wide (catches SB2-style mean+logstd rows). */
    private void checkRows(float[][] rows, int batch, int width, String name) {
        checkCount(rows == null ? -1 : rows.length, batch, name);
        for (int b = 0; b < batch; b++) {
            if (rows[b] == null || rows[b].length != width) {
                throw new IllegalArgumentException(name + "[" + b + "] has "
                        + (rows[b] == null ? "no" : String.valueOf(rows[b].length)) + " values; " + this + " needs " + width);
            }
        }
    }

    private static void checkValues(float[] values, int batch, String name) {
        checkCount(values == null ? -1 : values.length, batch, name);
    }

    /** Requires a non-negative batch and at least that many entries ({@code available} is -1 for null). */
    private static void checkCount(int available, int batch, String name) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        if (available < batch) {
            throw new IllegalArgumentException(name + (available < 0 ? " is null" : " holds " + available + " entries")
                    + " for a batch of " + batch);
        }
    }

    /** Only a distribution with a log std vector reads it; the others accept anything, typically null. */
    private void checkLogStd(float[] logStd, String name) {
        if (logStdDim() > 0 && (logStd == null || logStd.length != logStdDim())) {
            throw new IllegalArgumentException(name + " has " + (logStd == null ? "no" : String.valueOf(logStd.length))
                    + " values; " + this + " needs " + logStdDim());
        }
    }
}
