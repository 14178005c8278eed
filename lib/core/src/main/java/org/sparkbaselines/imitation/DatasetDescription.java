package org.sparkbaselines.imitation;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an expert dataset holds, the reference's {@code ExpertDataset.log_info()}: episode and step
 * counts and the statistics of the episode returns (standard deviation as numpy's {@code std}, the
 * population one).
 */
public record DatasetDescription(int episodes, int steps, double returnMean, double returnStd, double returnMin, double returnMax) {

    /** The description of {@code steps} steps in episodes with these returns (at least one). */
    public static DatasetDescription of(double[] episodeReturns, int steps) {
        if (episodeReturns.length == 0) {
            throw new IllegalArgumentException("no episodes to describe");
        }
        double mean = Arrays.stream(episodeReturns).average().orElseThrow();
        double variance = Arrays.stream(episodeReturns).map(r -> (r - mean) * (r - mean)).average().orElseThrow();
        return new DatasetDescription(episodeReturns.length, steps, mean, Math.sqrt(variance),
                Arrays.stream(episodeReturns).min().orElseThrow(), Arrays.stream(episodeReturns).max().orElseThrow());
    }

    /** For example {@code 5 episodes, 2500 steps, return 500.00 +/- 0.00 (min 500.00, max 500.00)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d episodes, %d steps, return %.2f +/- %.2f (min %.2f, max %.2f)", episodes, steps, returnMean, returnStd,
                returnMin, returnMax);
    }
}
