package org.sparkbaselines.spark.dataset;

import java.util.List;
import org.sparkbaselines.imitation.DatasetDescription;

/**
 * One dataset of the trajectory tables as {@code sb dataset describe} shows it.
 *
 * @param dataset the dataset name
 * @param runs how many runs (jobs or imports) wrote its episodes
 * @param sources what acted, each distinct {@code source} value, sorted
 * @param description episodes, steps and return statistics (mean, population std, min, max)
 * @param observationDim values per observation row
 * @param actionDim values per action row (1 for a Discrete action)
 */
public record DatasetSummary(String dataset, long runs, List<String> sources, DatasetDescription description, int observationDim,
        int actionDim) {

    public DatasetSummary {
        sources = List.copyOf(sources);
    }
}
