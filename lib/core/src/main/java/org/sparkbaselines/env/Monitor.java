package org.sparkbaselines.env;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records each episode's reward, length and time, the reference's
 * {@code Monitor(env, filename=None, allow_early_resets=True, reset_keywords=(), info_keywords=())}:
 * at an episode's end it puts an {@link EpisodeInfo} under {@code info["episode"]} (what training
 * logs as {@code rollout/ep_rew_mean}) and, with a filename, appends a row to a {@link MonitorFile}.
 * {@code reset_keywords} have no counterpart here: {@link Env#reset} takes only a seed.
 * Stepping allocates nothing except at episode ends.
 */
public final class Monitor extends EnvWrapper {
    private final MonitorFile file;
    private final boolean allowEarlyResets;
    private final List<String> infoKeywords;
    private final long startNanos = System.nanoTime();
    private final double tStart = System.currentTimeMillis() / 1000.0;

    private boolean needsReset = true;
    private double episodeReward;
    private int episodeLength;
    private long totalSteps;
    private double[] episodeRewards = new double[16];
    private int[] episodeLengths = new int[16];
    private double[] episodeTimes = new double[16];
    private int episodes;

    /** No file, early resets allowed. */
    public Monitor(Env env) {
        this(env, null, true, List.of());
    }

    /**
     * @param filename where to write {@code monitor.csv} (see {@link MonitorFile}), or null for none
     * @param allowEarlyResets whether {@code reset} may be called before the episode is done (default true)
     * @param infoKeywords info keys whose last values are recorded with each episode
     */
    public Monitor(Env env, Path filename, boolean allowEarlyResets, List<String> infoKeywords) {
        super(env);
        this.allowEarlyResets = allowEarlyResets;
        this.infoKeywords = List.copyOf(infoKeywords);
        this.file = filename == null ? null : new MonitorFile(filename, tStart, env.specId(), this.infoKeywords);
    }

    @Override
    public float[] reset(Long seed) {
        if (!allowEarlyResets && !needsReset) {
            throw new IllegalStateException("Tried to reset an environment before done. If you want to allow early resets, "
                    + "wrap your env with new Monitor(env, path, true, keywords)");
        }
        episodeReward = 0;
        episodeLength = 0;
        needsReset = false;
        return env.reset(seed);
    }

    @Override
    public StepResult step(float[] action) {
        if (needsReset) {
            throw new IllegalStateException("Tried to step environment that needs reset");
        }
        StepResult r = env.step(action);
        episodeReward += r.reward();
        episodeLength++;
        totalSteps++;
        if (r.done()) {
            needsReset = true;
            endEpisode(r);
        }
        return r;
    }

    private void endEpisode(StepResult r) {
        double t = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> extra = new HashMap<>();
        for (String key : infoKeywords) {
            extra.put(key, r.info().get(key));
        }
        EpisodeInfo info = new EpisodeInfo(MonitorFile.round6(episodeReward), episodeLength, MonitorFile.round6(t), extra);
        if (episodes == episodeRewards.length) {
            episodeRewards = Arrays.copyOf(episodeRewards, episodes * 2);
            episodeLengths = Arrays.copyOf(episodeLengths, episodes * 2);
            episodeTimes = Arrays.copyOf(episodeTimes, episodes * 2);
        }
        episodeRewards[episodes] = episodeReward;
        episodeLengths[episodes] = episodeLength;
        episodeTimes[episodes] = t;
        episodes++;
        if (file != null) {
            file.write(info);
        }
        r.info().put(Infos.EPISODE, info);
    }

    /** Steps taken over all episodes. */
    public long getTotalSteps() {
        return totalSteps;
    }

    /** Total reward of each finished episode. */
    public List<Double> getEpisodeRewards() {
        List<Double> out = new ArrayList<>(episodes);
        for (int i = 0; i < episodes; i++) {
            out.add(episodeRewards[i]);
        }
        return out;
    }

    /** Length of each finished episode. */
    public List<Integer> getEpisodeLengths() {
        List<Integer> out = new ArrayList<>(episodes);
        for (int i = 0; i < episodes; i++) {
            out.add(episodeLengths[i]);
        }
        return out;
    }

    /** Seconds from the monitor's start to each episode's end. */
    public List<Double> getEpisodeTimes() {
        List<Double> out = new ArrayList<>(episodes);
        for (int i = 0; i < episodes; i++) {
            out.add(episodeTimes[i]);
        }
        return out;
    }

    /** The file episodes are written to, or null. */
    public Path filePath() {
        return file == null ? null : file.path();
    }

    @Override
    public void close() {
        super.close();
        if (file != null) {
            file.close();
        }
    }
}
