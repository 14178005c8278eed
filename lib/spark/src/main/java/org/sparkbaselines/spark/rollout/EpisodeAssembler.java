package org.sparkbaselines.spark.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.spark.dataset.ExpertNpz;
import org.sparkbaselines.spark.delta.Episode;

/**
 * Turns the fragments of training rollouts back into whole episodes. Episodes run across
 * fragments (workers keep their envs between policy updates), so each env's unfinished episode is
 * kept until it ends; each step keeps the policy version that acted. Three ways an episode ends:
 * <ul>
 *   <li>the env ended it (terminated and/or truncated, as the env said);</li>
 *   <li>its worker was rebuilt on a fresh executor ({@link RolloutFragment#startedFresh} from a
 *       worker already seen): the cut episode is closed as truncated, its last {@code next_obs}
 *       unknown (null);</li>
 *   <li>{@link #closeUnfinished()} at the end of recording: truncated likewise.</li>
 * </ul>
 * Worker {@code w}'s {@code k}-th recorded episode (counting from 0 in step order) gets the id
 * {@code w * 2^40 + k} ({@link #episodeId}), so the same run records the same ids, and an executor that
 * assembles its own worker's episodes ({@link #continueCountAt}) numbers them as the driver does. Steps of
 * an episode that began before recording did are skipped. Episodes that end in a fragment whose worker
 * recorded them itself ({@link RolloutFragment#recordedByWorker}) are counted, not kept; the
 * ones cut by a rebuild or still running at the end are kept, since only this assembler has their steps.
 */
public final class EpisodeAssembler {
    private final String source;
    private final Map<Integer, OpenEpisode[]> openByWorker = new HashMap<>();
    private final Map<Integer, Long> startedByWorker = new HashMap<>();
    private final List<Episode> finished = new ArrayList<>();
    private long finishedSteps;
    private long cutEpisodes;
    private long episodesRecordedByWorkers;
    private long stepsRecordedByWorkers;

    /** @param source what acted, written with every episode, e.g. {@code "ppo2:CartPole-v1"} */
    public EpisodeAssembler(String source) {
        this.source = source;
    }

    /** The id of worker {@code workerId}'s {@code k}-th recorded episode. */
    public static long episodeId(int workerId, long k) {
        return ((long) workerId << 40) + k;
    }

    /** Episodes of worker {@code workerId} started (and so numbered) so far. */
    public long episodesStarted(int workerId) {
        return startedByWorker.getOrDefault(workerId, 0L);
    }

    /** Numbers worker {@code workerId}'s next episode {@code started}, as another assembler of the same fragments did. */
    public void continueCountAt(int workerId, long started) {
        startedByWorker.put(workerId, started);
    }

    /** Adds one fragment's steps. */
    public void add(RolloutFragment f) {
        OpenEpisode[] open = openByWorker.get(f.workerId);
        if (open != null && f.startedFresh) {
            for (OpenEpisode episode : open) {
                if (episode != null) {
                    finish(episode, false, true);
                    cutEpisodes++;
                }
            }
            open = null;
        }
        if (open == null) {
            open = new OpenEpisode[f.nEnvs];
            openByWorker.put(f.workerId, open);
        }
        for (int t = 0; t < f.nSteps; t++) {
            for (int e = 0; e < f.nEnvs; e++) {
                int row = t * f.nEnvs + e;
                if (open[e] == null) {
                    if (!f.episodeStarts[row]) {
                        continue; // an episode that began before recording did
                    }
                    long k = episodesStarted(f.workerId);
                    startedByWorker.put(f.workerId, k + 1);
                    open[e] = new OpenEpisode(episodeId(f.workerId, k), f.workerId);
                }
                open[e].add(f.observations[row], f.actions[row], f.rewards[row], f.policyVersion, f.logProbs[row], f.values[row]);
                if (f.terminated[row] || f.truncated[row]) {
                    if (f.recordedByWorker != null) {
                        episodesRecordedByWorkers++;
                        stepsRecordedByWorkers += open[e].length();
                    } else {
                        open[e].nextObservation(f.terminalObservations[row]);
                        finish(open[e], f.terminated[row], f.truncated[row]);
                    }
                    open[e] = null;
                }
            }
        }
    }

    /** Closes every unfinished episode as truncated (recording ends). */
    public void closeUnfinished() {
        for (OpenEpisode[] open : openByWorker.values()) {
            for (int e = 0; e < open.length; e++) {
                if (open[e] != null) {
                    finish(open[e], false, true);
                    open[e] = null;
                }
            }
        }
    }

    /** The finished episodes not taken yet, handed over and forgotten. */
    public List<Episode> takeFinished() {
        List<Episode> out = new ArrayList<>(finished);
        finished.clear();
        finishedSteps = 0;
        return out;
    }

    /** Steps in the finished episodes not taken yet. */
    public long finishedSteps() {
        return finishedSteps;
    }

    /** Episodes that ended in fragments whose workers recorded them (not kept here). */
    public long episodesRecordedByWorkers() {
        return episodesRecordedByWorkers;
    }

    /** Steps of {@link #episodesRecordedByWorkers()}. */
    public long stepsRecordedByWorkers() {
        return stepsRecordedByWorkers;
    }

    /** Episodes closed because their worker was rebuilt. */
    public long cutEpisodes() {
        return cutEpisodes;
    }

    private void finish(OpenEpisode open, boolean terminated, boolean truncated) {
        Episode episode = open.toEpisode(source, terminated, truncated);
        finished.add(episode);
        finishedSteps += episode.length();
    }

    /** One env's episode in progress. */
    private static final class OpenEpisode {
        final long id;
        final int workerId;
        final List<float[]> observations = new ArrayList<>();
        final List<float[]> actions = new ArrayList<>();
        final List<float[]> nextObservations = new ArrayList<>();
        double[] rewards = new double[64];
        long[] versions = new long[64];
        float[] logProbs = new float[64];
        float[] values = new float[64];

        OpenEpisode(long id, int workerId) {
            this.id = id;
            this.workerId = workerId;
        }

        void add(float[] obs, float[] action, double reward, long version, float logProb, float value) {
            int t = observations.size();
            if (t > 0) {
                nextObservations.set(t - 1, obs);
            }
            if (t == rewards.length) {
                rewards = Arrays.copyOf(rewards, 2 * t);
                versions = Arrays.copyOf(versions, 2 * t);
                logProbs = Arrays.copyOf(logProbs, 2 * t);
                values = Arrays.copyOf(values, 2 * t);
            }
            observations.add(obs);
            actions.add(action);
            nextObservations.add(null);
            rewards[t] = reward;
            versions[t] = version;
            logProbs[t] = logProb;
            values[t] = value;
        }

        int length() {
            return observations.size();
        }

        void nextObservation(float[] next) {
            nextObservations.set(nextObservations.size() - 1, next);
        }

        Episode toEpisode(String source, boolean terminated, boolean truncated) {
            int n = observations.size();
            long[] stepVersions = Arrays.copyOf(versions, n);
            boolean versionChanges = stepVersions[n - 1] != stepVersions[0]; // versions only grow
            return new Episode(id, workerId, stepVersions[0], ExpertNpz.UNKNOWN_SEED, source, observations.toArray(float[][]::new),
                    actions.toArray(float[][]::new), Arrays.copyOf(rewards, n), nextObservations.toArray(float[][]::new),
                    terminated, truncated, null, Arrays.copyOf(logProbs, n), Arrays.copyOf(values, n),
                    versionChanges ? stepVersions : null);
        }
    }
}
