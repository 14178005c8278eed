package org.sparkbaselines.spark.expert;

/**
 * What an expert-generation run holds after the job: its episodes {@code 0 .. episodes-1}, whether
 * written now or by an earlier run with the same arguments.
 *
 * @param dataset the dataset partition
 * @param runId the run's deterministic id
 * @param episodes episodes in the run
 * @param steps step rows of those episodes (the sum of their lengths)
 * @param meanReturn mean undiscounted episode return
 * @param stdReturn population standard deviation of the returns (as numpy's {@code std})
 * @param meanLength mean episode length
 * @param newEpisodes how many of the episodes this job wrote (0 on a rerun)
 */
public record GenerationResult(String dataset, String runId, long episodes, long steps, double meanReturn, double stdReturn,
        double meanLength, long newEpisodes) {
}
