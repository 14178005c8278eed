package org.sparkbaselines.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void histogramsAreWrittenAsHistogramProtos() throws Exception {
        // 0, 1, 2, 3 over [0, 3] in 30 buckets of width 0.1: the values fall into buckets 0, 10, 20 and 29 (3 is max, so the last).
        Path file;
        try (TensorBoardOutputFormat tensorboard = new TensorBoardOutputFormat(dir)) {
            file = tensorboard.file();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("train/loss", 0.5);
            values.put("model/pi/w:0", Histogram.of(new float[] {3, 1, 0, 2}));
            values.put("model/pi/b:0", Histogram.of(new float[] {-0.5f, -0.5f}));
            tensorboard.write(values, 64);
        }
        Event event = TensorBoardEvents.read(file).get(1);
        assertEquals(64, event.step());
        assertEquals(Map.of("train/loss", 0.5f), event.scalars());
        TensorBoardEvents.HistogramValue weights = event.histograms().get("model/pi/w:0");
        assertEquals(0, weights.min());
        assertEquals(3, weights.max());
        assertEquals(4, weights.num());
        assertEquals(6, weights.sum());
        assertEquals(14, weights.sumSquares());
        assertEquals(Histogram.BUCKETS, weights.bucketLimits().length);
        assertEquals(0.1, weights.bucketLimits()[0], 1e-12);
        assertEquals(3, weights.bucketLimits()[29]);
        double[] expected = new double[Histogram.BUCKETS];
        expected[0] = 1;
        expected[10] = 1;
        expected[20] = 1;
        expected[29] = 1;
        assertArrayEquals(expected, weights.buckets());
        TensorBoardEvents.HistogramValue constant = event.histograms().get("model/pi/b:0");
        assertArrayEquals(new double[] {-0.5}, constant.bucketLimits(), "equal values: one bucket");
        assertArrayEquals(new double[] {2}, constant.buckets());
        assertEquals(-1, constant.sum());
    }

    @Test
    void histogramsReachOnlyTensorBoard() throws Exception {
        Path csvFile = dir.resolve("progress.csv");
        TensorBoardOutputFormat tensorboard = new TensorBoardOutputFormat(dir);
        try (Logger logger = new Logger(dir, List.of(new CsvOutputFormat(csvFile), tensorboard))) {
            logger.recordHistogram("model/vf/w:0", new float[] {1, 2});
            logger.record("train/loss", 1.0);
            logger.dump(1);
        }
        assertEquals(List.of("train/loss", "1.0"), java.nio.file.Files.readAllLines(csvFile));
        Event event = TensorBoardEvents.read(tensorboard.file()).get(1);
        assertEquals(Map.of("train/loss", 1f), event.scalars());
        assertEquals(List.of("model/vf/w:0"), List.copyOf(event.histograms().keySet()));
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
