package org.sparkbaselines.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvOutputFormatTest {
    @TempDir
    Path dir;

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void keyAppearingLaterExtendsTheHeaderAndKeepsEarlierRows() throws Exception {
        Path file = dir.resolve(CsvOutputFormat.FILE_NAME);
        try (CsvOutputFormat csv = new CsvOutputFormat(file)) {
            csv.write(row("time/total_timesteps", 128L, "rollout/ep_rew_mean", 9.5), 128);
            assertEquals("time/total_timesteps,rollout/ep_rew_mean\n128,9.5\n", Files.readString(file));

            csv.write(row("time/total_timesteps", 256L, "rollout/ep_rew_mean", 1e-5, "train/loss", 0.25), 256);
            csv.write(row("time/total_timesteps", 384L), 384);
        }

        assertEquals("""
                time/total_timesteps,rollout/ep_rew_mean,train/loss
                128,9.5,
                256,1e-05,0.25
                384,,
                """, Files.readString(file));
    }

    @Test
    void stringsAreQuotedEvenAcrossAHeaderRewrite() throws Exception {
        Path file = dir.resolve(CsvOutputFormat.FILE_NAME);
        try (CsvOutputFormat csv = new CsvOutputFormat(file)) {
            csv.write(row("note", "two\nlines, \"quoted\""), 0);
            csv.write(row("note", "plain", "n", 1), 1);
        }

        assertEquals("note,n\n\"two\nlines, \"\"quoted\"\"\",\n\"plain\",1\n", Files.readString(file));
    }

    @Test
    void anExistingFileIsReplaced() throws Exception {
        Path file = dir.resolve(CsvOutputFormat.FILE_NAME);
        Files.writeString(file, "old,header\n1,2\n");
        try (CsvOutputFormat csv = new CsvOutputFormat(file)) {
            csv.write(row("a", 1), 0);
        }

        assertEquals("a\n1\n", Files.readString(file));
    }
}
