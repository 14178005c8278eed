package org.sparkbaselines.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HumanOutputFormatTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final HumanOutputFormat stdout = new HumanOutputFormat(new PrintStream(console, true, StandardCharsets.UTF_8));

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tableGroupsSortedKeysByPrefixAndFormatsFloatsLikeSb3() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("time/total_timesteps", 2048L);
        values.put("train/learning_rate", 3e-4);
        values.put("rollout/ep_rew_mean", 22.4);
        values.put("time/fps", 1234);
        values.put("train/approx_kl", 0.0123456f);
        values.put("rollout/ep_len_mean", 22.4);

        stdout.write(values, 2048);

        assertEquals("""
                ---------------------------------
                | rollout/           |          |
                |    ep_len_mean     | 22.4     |
                |    ep_rew_mean     | 22.4     |
                | time/              |          |
                |    fps             | 1234     |
                |    total_timesteps | 2048     |
                | train/             |          |
                |    approx_kl       | 0.0123   |
                |    learning_rate   | 0.0003   |
                ---------------------------------
                """, printed());
    }

    @Test
    void keysWithoutPrefixAndStringsAreShownAsIs() {
        stdout.write(Map.of("env", "CartPole-v1", "success", 1), 0);

        assertEquals("""
                -------------------------
                | env     | CartPole-v1 |
                | success | 1           |
                -------------------------
                """, printed());
    }

    @Test
    void longKeysAndValuesAreCutTo30CharactersWithEllipsis() {
        String longKey = "k".repeat(40);
        String longValue = "v".repeat(35);

        stdout.write(Map.of(longKey, longValue), 0);

        String row = printed().lines().toList().get(1);
        assertEquals("| " + "k".repeat(27) + "... | " + "v".repeat(27) + "... |", row);
    }

    @Test
    void keysTruncatedToTheSameTextAreRejected() {
        String prefix = "k".repeat(30);
        Map<String, Object> clashing = Map.of(prefix + "_a", 1, prefix + "_b", 2);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> stdout.write(clashing, 0));
        assertTrue(error.getMessage().contains(prefix + "_b"), error.getMessage());
    }

    @Test
    void messagesAreSpaceSeparatedLines() {
        stdout.writeSequence(List.of("Logging", "to", "/tmp/x"));

        assertEquals("Logging to /tmp/x\n", printed());
    }

    @Test
    void logFileGetsTheSameTableAfterEveryDump(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(HumanOutputFormat.LOG_FILE_NAME);
        try (HumanOutputFormat log = new HumanOutputFormat(file)) {
            log.write(Map.of("a", 1), 0);
            log.write(Map.of("a", 2), 1);
            stdout.write(Map.of("a", 1), 0);
            stdout.write(Map.of("a", 2), 1);

            assertEquals(LogFormat.LOG, log.format());
            assertEquals(printed(), Files.readString(file), "flushed after each dump");
        }
    }
}
