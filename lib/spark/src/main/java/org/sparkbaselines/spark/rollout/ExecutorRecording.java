package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.spark.delta.Episode;
import org.sparkbaselines.spark.delta.StagedEpisodes;

/**
 * Where executor-side rollout workers stage the episodes they finish while a {@link DeltaRolloutRecorder}
 * records a run: each worker assembles its own episodes and, after each fragment, writes the ones that
 * ended as data files and names them in the fragment ({@link RolloutFragment#recordedByWorker}). The
 * driver commits the files of the fragments it accepted, so the rows reach Delta without passing through it.
 *
 * @param stepsPath the steps table, where the workers write the steps' data files
 * @param episodesPath the episodes table, where they write the episodes' summaries
 * @param recordingId names the recording's folder in the run's partitions ({@link StagedEpisodes#folder})
 * @param source what acted, written with every episode
 */
record ExecutorRecording(String stepsPath, String episodesPath, String recordingId, String dataset, String runId, String source)
        implements Serializable {

    /** Adds the fragment to the worker's assembler and stages the episodes that ended in it. */
    void stage(EpisodeAssembler assembler, RolloutFragment fragment, long episodesStartedBefore) {
        assembler.continueCountAt(fragment.workerId, episodesStartedBefore);
        assembler.add(fragment);
        List<Episode> finished = assembler.takeFinished();
        fragment.recordedByWorker = StagedEpisodes.write(HadoopConfiguration.INSTANCE, stepsPath, episodesPath, recordingId, dataset, runId,
                finished);
    }

    /** This JVM's Hadoop configuration as Spark builds it (with the application's {@code spark.hadoop.*} settings). */
    private static final class HadoopConfiguration {
        static final Configuration INSTANCE = SparkHadoopUtil.get().newConfiguration(SparkEnv.get().conf());
    }
}
