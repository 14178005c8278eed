package org.sparkbaselines.vec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.MonitorFile;

/**
 * {@link org.sparkbaselines.env.Monitor} for a whole vectorized env at once (SB3's {@code VecMonitor}):
 * tracks each env's episode reward and length, puts an {@link EpisodeInfo} under
 * {@code info["episode"]} when an episode ends, and optionally writes the same {@code monitor.csv}.
 * Use it when the envs inside are not individually monitored (e.g. envs built elsewhere).
 */
public final class VecMonitor extends VecEnvWrapper {
    private final MonitorFile file;
    private final List<String> infoKeywords;
    private final long startNanos = System.nanoTime();
    private final double[] episodeReturns;
    private final int[] episodeLengths;
    private long episodeCount;

    /** No file. */
    public VecMonitor(VecEnv venv) {
        this(venv, null, List.of());
    }

    /** @param filename where to write {@code monitor.csv} (see {@link MonitorFile}), or null for none */
    public VecMonitor(VecEnv venv, Path filename, List<String> infoKeywords) {
        super(venv);
        this.infoKeywords = List.copyOf(infoKeywords);
        this.episodeReturns = new double[venv.numEnvs()];
        this.episodeLengths = new int[venv.numEnvs()];
        String envId = null;
        try {
            Object id = venv.getAttr("specId", 0).get(0);
            envId = id == null ? null : id.toString();
        } catch (IllegalArgumentException e) {
            // an env without a registry id is recorded with env_id null, as the reference does
        }
        this.file = filename == null ? null : new MonitorFile(filename, System.currentTimeMillis() / 1000.0, envId, this.infoKeywords);
    }

    @Override
    public float[][] reset() {
        java.util.Arrays.fill(episodeReturns, 0);
        java.util.Arrays.fill(episodeLengths, 0);
        return venv.reset();
    }

    @Override
    public VecStepResult stepWait() {
        VecStepResult r = venv.stepWait();
        for (int i = 0; i < episodeReturns.length; i++) {
            episodeReturns[i] += r.rewards()[i];
            episodeLengths[i]++;
            if (r.dones()[i]) {
                Map<String, Object> extra = new HashMap<>();
                for (String key : infoKeywords) {
                    extra.put(key, r.infos()[i].get(key));
                }
                EpisodeInfo info = new EpisodeInfo(MonitorFile.round6(episodeReturns[i]), episodeLengths[i],
                        MonitorFile.round6((System.nanoTime() - startNanos) / 1e9), extra);
                r.infos()[i].put(Infos.EPISODE, info);
                if (file != null) {
                    file.write(info);
                }
                episodeCount++;
                episodeReturns[i] = 0;
                episodeLengths[i] = 0;
            }
        }
        return r;
    }

    /** Episodes finished so far across all envs. */
    public long episodeCount() {
        return episodeCount;
    }

    @Override
    public void close() {
        super.close();
        if (file != null) {
            file.close();
        }
    }
}
