package org.sparkbaselines.rollout;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;

/**
 * What one rollout worker collected in one iteration: {@code nSteps} steps of its {@code nEnvs}
 * envs, rows indexed {@code step * nEnvs + env}, with everything the learner needs (actions sampled,
 * their log-probabilities and values under the policy version that acted, the env's rewards and,
 * where a time limit cut an episode, the value of the cut-off state to bootstrap from) and the
 * values of the observations after the last step. Travels from Spark executors to the driver.
 */
public final class RolloutFragment implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int workerId;
    public final long policyVersion;
    public final int nSteps;
    public final int nEnvs;
    public final float[][] observations;
    public final float[][] actions;
    /** The env's rewards, as the env gave them. */
    public final double[] rewards;
    /**
     * The value of the cut-off state where a time limit (not a terminal state) ended the episode, else
     * 0: the learner adds {@code gamma} times it to the reward (SB3's correction).
     */
    public final float[] bootstrapValues;
    /** The row's observation began an episode. */
    public final boolean[] episodeStarts;
    public final boolean[] terminated;
    public final boolean[] truncated;
    public final float[] values;
    public final float[] logProbs;
    /** The real last observation of an episode that ended at the row, else null. */
    public final float[][] terminalObservations;
    /** The finished episode's summary at the row where it ended, else null. */
    public final EpisodeInfo[] episodes;
    public final float[] lastValues;
    /** The envs' observations after the last step: the next observation of the last row where no episode ended. */
    public final float[][] lastObservations;
    public final boolean[] lastEpisodeStarts;
    /**
     * The worker reset all its envs before the first step: its first fragment, or the first of a
     * worker rebuilt on a fresh executor, whose predecessor's unfinished episodes were cut there.
     */
    public boolean startedFresh;
    /**
     * Which worker object produced the fragment (random per {@link RolloutWorker}), and how many
     * fragments that object had produced, this one included: a worker may resume from this fragment
     * only if it is that object and has produced nothing since.
     */
    public long incarnation;
    public long sequence;
    /**
     * Set when the worker recorded the episodes that ended in this fragment itself (executor-side
     * recording): what it wrote them as, opaque here (the recorder that asked for it reads it). Whoever
     * assembles episodes from fragments then only counts those. Null when the worker did not record.
     */
    public Serializable recordedByWorker;

    public RolloutFragment(int workerId, long policyVersion, int nSteps, int nEnvs, int obsDim, int actionDim) {
        this.workerId = workerId;
        this.policyVersion = policyVersion;
        this.nSteps = nSteps;
        this.nEnvs = nEnvs;
        int rows = nSteps * nEnvs;
        observations = new float[rows][obsDim];
        actions = new float[rows][actionDim];
        rewards = new double[rows];
        bootstrapValues = new float[rows];
        episodeStarts = new boolean[rows];
        terminated = new boolean[rows];
        truncated = new boolean[rows];
        values = new float[rows];
        logProbs = new float[rows];
        terminalObservations = new float[rows][];
        episodes = new EpisodeInfo[rows];
        lastValues = new float[nEnvs];
        lastObservations = new float[nEnvs][obsDim];
        lastEpisodeStarts = new boolean[nEnvs];
    }

    public int rows() {
        return nSteps * nEnvs;
    }

    /** The info dict the env gave at the row's step: the terminal observation and episode summary where an episode ended. */
    public Map<String, Object> info(int row) {
        Map<String, Object> info = new HashMap<>(4);
        if (terminalObservations[row] != null) {
            info.put(Infos.TERMINAL_OBSERVATION, terminalObservations[row]);
            info.put(Infos.TIME_LIMIT_TRUNCATED, truncated[row] && !terminated[row]);
        }
        if (episodes[row] != null) {
            info.put(Infos.EPISODE, episodes[row]);
        }
        return info;
    }
}
