package org.sparkbaselines.spark.dataset;

import java.util.Objects;
import org.sparkbaselines.imitation.ExpertDataset;

/**
 * Which episodes of the trajectory tables make an expert dataset, evaluated by {@link DeltaExpertData}
 * as Spark SQL over the {@code episodes} table: one dataset, optionally one run and one source, the
 * first {@code trajLimitation} episodes in the stable order (run_id, episode_id), and optionally one
 * part of a deterministic train/validation split by episode.
 *
 * @param dataset the dataset name (a partition of both tables)
 * @param runId only this run, or null for every run of the dataset
 * @param source only episodes whose {@code source} is this (e.g. {@code "expert:cartpole-balance"}), or null for any
 * @param trajLimitation how many episodes to keep, from the first; -1 keeps all (the reference's {@code traj_limitation})
 * @param split one part of a split by episode, or null for every selected episode
 */
public record ExpertQuery(String dataset, String runId, String source, int trajLimitation, EpisodeSplit split) {

    /**
     * One part of a split of the selected episodes into training and validation episodes, computed
     * in SQL: the episodes are ranked by a hash of (seed, run_id, episode_id), and the first
     * {@code floor(trainFraction * episodes)} of them (at least one, and at least one left over) train.
     * The same seed gives the same split on any machine and Spark version; the two parts never share
     * an episode and together hold all of them.
     *
     * @param trainFraction the share of episodes for training, strictly between 0 and 1
     * @param seed the seed of the hash that orders the episodes
     * @param part which part this query selects
     */
    public record EpisodeSplit(double trainFraction, long seed, ExpertDataset.Split part) {
        public EpisodeSplit {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("trainFraction must be strictly between 0 and 1, got " + trainFraction);
            }
            Objects.requireNonNull(part, "part");
        }
    }

    public ExpertQuery {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("the dataset name must not be blank");
        }
        if (trajLimitation != -1 && trajLimitation <= 0) {
            throw new IllegalArgumentException("trajLimitation must be -1 (all episodes) or positive, got " + trajLimitation);
        }
    }

    /** Every episode of {@code dataset}. */
    public static ExpertQuery of(String dataset) {
        return new ExpertQuery(dataset, null, null, -1, null);
    }

    /** This query restricted to one run (null: every run). */
    public ExpertQuery withRunId(String newRunId) {
        return new ExpertQuery(dataset, newRunId, source, trajLimitation, split);
    }

    /** This query restricted to one source (null: any source). */
    public ExpertQuery withSource(String newSource) {
        return new ExpertQuery(dataset, runId, newSource, trajLimitation, split);
    }

    /** This query keeping only the first {@code episodes} episodes (-1: all). */
    public ExpertQuery withTrajLimitation(int episodes) {
        return new ExpertQuery(dataset, runId, source, episodes, split);
    }

    /** The training episodes of a split of this query's episodes (see {@link EpisodeSplit}). */
    public ExpertQuery trainEpisodes(double trainFraction, long seed) {
        return withSplit(new EpisodeSplit(trainFraction, seed, ExpertDataset.Split.TRAIN));
    }

    /** The validation episodes of a split of this query's episodes: every episode {@link #trainEpisodes} leaves out. */
    public ExpertQuery validationEpisodes(double trainFraction, long seed) {
        return withSplit(new EpisodeSplit(trainFraction, seed, ExpertDataset.Split.VALIDATION));
    }

    /** This query selecting one part of a split (null: no split). */
    public ExpertQuery withSplit(EpisodeSplit newSplit) {
        return new ExpertQuery(dataset, runId, source, trajLimitation, newSplit);
    }

    /** For messages: {@code dataset 'x', run r, source s, first 5 episodes, training part of a 0.8 split (seed 1)}. */
    public String describe() {
        StringBuilder text = new StringBuilder("dataset '").append(dataset).append('\'');
        if (runId != null) {
            text.append(", run ").append(runId);
        }
        if (source != null) {
            text.append(", source ").append(source);
        }
        if (trajLimitation != -1) {
            text.append(", first ").append(trajLimitation).append(" episodes");
        }
        if (split != null) {
            text.append(split.part() == ExpertDataset.Split.TRAIN ? ", training" : ", validation").append(" part of a ")
                    .append(split.trainFraction()).append(" split (seed ").append(split.seed()).append(')');
        }
        return text.toString();
    }
}
