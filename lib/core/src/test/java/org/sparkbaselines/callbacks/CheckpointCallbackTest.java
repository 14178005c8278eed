package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.ppo2.PPO2;

class CheckpointCallbackTest {

    @Test
    void savesEverySaveFreqCallsIntoANewFolderAndTheCheckpointsLoad(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("logs/checkpoints");
        // 8 calls of 2 envs: one checkpoint every 16 timesteps
        SmallPpo2.learn(SmallPpo2.onCartPole(), 2 * ROLLOUT, new CheckpointCallback(8, folder, "ppo", 0));
        assertEquals(List.of("ppo_16_steps.zip", "ppo_32_steps.zip", "ppo_48_steps.zip", "ppo_64_steps.zip"), fileNames(folder));
        PPO2 loaded = PPO2.load(folder.resolve("ppo_48_steps.zip"), null);
        assertEquals(48, loaded.numTimesteps());
    }

    @Test
    void theDefaultPrefixIsRlModel(@TempDir Path dir) throws IOException {
        SmallPpo2.learn(SmallPpo2.onCartPole(), ROLLOUT, new CheckpointCallback(16, dir));
        assertEquals(List.of("rl_model_32_steps.zip"), fileNames(dir));
    }

    @Test
    void underEveryNTimestepsASaveFreqOfOneSavesAtEachEvent(@TempDir Path dir) throws IOException {
        SmallPpo2.learn(SmallPpo2.onCartPole(), ROLLOUT, new EveryNTimesteps(10, new CheckpointCallback(1, dir)));
        assertEquals(List.of("rl_model_10_steps.zip", "rl_model_20_steps.zip", "rl_model_30_steps.zip"), fileNames(dir));
    }

    private static List<String> fileNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
