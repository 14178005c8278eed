package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.vec.VecEnvs;

/** Saved models for batch-evaluation runs: barely trained, quick to make. */
final class TinyModels {
    private TinyModels() {
    }

    /** Two PPO2 models of {@code envId} (seeds 0 and 1, 256 steps each) saved as {@code dir/ppo2/seed-<s>.zip}. */
    static Path twoPpo2(Path dir, String envId) throws IOException {
        for (long seed : new long[] {0, 1}) {
            new PPO2("MlpPolicy", VecEnvs.makeVecEnv(envId, 2, seed), PPO2.Config.DEFAULT.with(Map.of("n_steps", 16)),
                    AlgorithmOptions.DEFAULT.withSeed(seed)).learn(256).save(dir.resolve("ppo2/seed-" + seed + ".zip"));
        }
        return dir;
    }
}
