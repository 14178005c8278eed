package org.sparkbaselines.spark.dataset;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Normalization statistics of an expert dataset, computed as Spark SQL aggregates where the data
 * lives (see {@link DeltaExpertData#statistics}): per observation dimension the mean and standard
 * deviation over all steps, and the mean and standard deviation of the episode returns. Standard
 * deviations are the population ones, as numpy's {@code std} and {@code VecNormalize}'s running
 * statistics use. Equality compares the arrays' contents.
 *
 * @param episodes episodes the statistics cover
 * @param steps steps the statistics cover
 * @param observationMean per observation dimension (flat layout), the mean
 * @param observationStd per observation dimension, the standard deviation
 * @param returnMean mean episode return
 * @param returnStd standard deviation of the episode returns
 */
public record NormalizationStatistics(long episodes, long steps, double[] observationMean, double[] observationStd, double returnMean,
        double returnStd) {

    public NormalizationStatistics {
        if (observationMean.length != observationStd.length) {
            throw new IllegalArgumentException("observationMean has " + observationMean.length + " values but observationStd has "
                    + observationStd.length);
        }
        observationMean = observationMean.clone();
        observationStd = observationStd.clone();
    }

    @Override
    public double[] observationMean() {
        return observationMean.clone();
    }

    @Override
    public double[] observationStd() {
        return observationStd.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NormalizationStatistics that && episodes == that.episodes && steps == that.steps
                && Arrays.equals(observationMean, that.observationMean) && Arrays.equals(observationStd, that.observationStd)
                && Double.compare(returnMean, that.returnMean) == 0 && Double.compare(returnStd, that.returnStd) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(episodes, steps, Arrays.hashCode(observationMean), Arrays.hashCode(observationStd), returnMean, returnStd);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d episodes, %d steps, obs mean %s std %s, return %.2f +/- %.2f", episodes, steps,
                Arrays.toString(observationMean), Arrays.toString(observationStd), returnMean, returnStd);
    }
}
