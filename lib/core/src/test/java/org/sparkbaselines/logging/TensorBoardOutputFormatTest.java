package org.sparkbaselines.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.logging.TensorBoardEvents.Event;

class TensorBoardOutputFormatTest {
    @TempDir
    Path dir;

    @Test
    void dumpsBecomeScalarEventsTensorBoardCanRead() throws Exception {
        double before = System.currentTimeMillis() / 1000.0;
        Path file;
        try (TensorBoardOutputFormat tensorboard = new TensorBoardOutputFormat(dir)) {
            file = tensorboard.file();
            for (int dump = 1; dump <= 3; dump++) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("rollout/ep_rew_mean", 10.5 * dump);
                values.put("time/fps", 1000 * dump);
                values.put("train/approx_kl", 0.01f / dump);
                values.put("env", "CartPole-v1");
                tensorboard.write(values, 2048L * dump);
            }
            tensorboard.write(Map.of("env", "strings are not curves"), 8192);
        }

        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<Event> events = TensorBoardEvents.read(file);
        assertEquals(4, events.size(), "the version record and one event per dump with numbers");
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        assertTrue(events.get(0).scalars().isEmpty());
        for (int dump = 1; dump <= 3; dump++) {
            Event event = events.get(dump);
            assertNull(event.fileVersion());
            assertEquals(2048L * dump, event.step());
            assertTrue(event.wallTime() >= before - 1 && event.wallTime() <= System.currentTimeMillis() / 1000.0 + 1);
            assertEquals(Map.of("rollout/ep_rew_mean", (float) (10.5 * dump), "time/fps", 1000f * dump,
                    "train/approx_kl", 0.01f / dump), event.scalars());
        }
    }

    @Test
    void writersOpenedInTheSameSecondGetDistinctFiles() throws Exception {
        try (TensorBoardOutputFormat first = new TensorBoardOutputFormat(dir);
                TensorBoardOutputFormat second = new TensorBoardOutputFormat(dir)) {
            assertNotEquals(first.file(), second.file());
            first.write(Map.of("a", 1), 1);
            second.write(Map.of("a", 2), 2);
            assertEquals(2, TensorBoardEvents.read(first.file()).size());
            assertEquals(2, TensorBoardEvents.read(second.file()).size());
        }
    }
}
