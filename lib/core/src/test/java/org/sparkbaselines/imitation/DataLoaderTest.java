package org.sparkbaselines.imitation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    private static final TrajectoryData DATA = ExpertFixtures.counting(1, 50);
    private static final int[] EVEN_STEPS = IntStream.range(0, 25).map(i -> 2 * i).toArray();

    @Test
    void prefetchDeliversTheSameBatchesAsTheCallersThread() {
        try (DataLoader sequential = loader(true, 0); DataLoader prefetching = loader(true, 3)) {
            for (int i = 0; i < 5 * sequential.batchesPerEpoch(); i++) {
                Batch expected = sequential.next();
                Batch actual = prefetching.next();
                assertArrayEquals(expected.observations(), actual.observations(), "batch " + i);
                assertArrayEquals(expected.actions(), actual.actions(), "batch " + i);
            }
        }
    }

    @Test
    void closeStopsThePrefetchThread() {
        DataLoader loader = loader(true, 2);
        assertFalse(loader.isPrefetching(), "the thread starts with the first batch");
        loader.next();
        assertTrue(loader.isPrefetching());
        loader.close();
        assertFalse(loader.isPrefetching());
        IllegalStateException e = assertThrows(IllegalStateException.class, loader::next);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        loader.close();
    }

    @Test
    void everyEpochVisitsEachIndexOnceAndEndsWithThePartialBatch() {
        try (DataLoader loader = loader(true, 1)) {
            assertEquals(3, loader.batchesPerEpoch());
            for (int epoch = 0; epoch < 3; epoch++) {
                List<Integer> steps = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                for (int i = 0; i < loader.batchesPerEpoch(); i++) {
                    Batch batch = loader.next();
                    sizes.add(batch.size());
                    steps.addAll(ExpertFixtures.stepsOf(batch));
                }
                assertEquals(List.of(10, 10, 5), sizes);
                assertEquals(IntStream.of(EVEN_STEPS).boxed().toList(), steps.stream().sorted().toList(), "epoch " + epoch);
            }
        }
    }

    @Test
    void withoutShuffleTheIndicesKeepTheirOrder() {
        try (DataLoader loader = loader(false, 0)) {
            assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), ExpertFixtures.stepsOf(loader.next()));
        }
    }

    @Test
    void batchesAreCopies() {
        try (DataLoader loader = loader(false, 0)) {
            loader.next().observations()[0][0] = -1;
            loader.next();
            loader.next();
            assertEquals(0, ExpertFixtures.stepsOf(loader.next()).get(0));
        }
    }

    @Test
    void badArgumentsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(new int[0], DATA.observations(), DATA.actions(), 10, true, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(EVEN_STEPS, DATA.observations(), DATA.actions(), 0, true, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> new DataLoader(new int[] {50}, DATA.observations(), DATA.actions(), 10, true, 0, 1));
    }

    private static DataLoader loader(boolean shuffle, int prefetch) {
        return new DataLoader(EVEN_STEPS, DATA.observations(), DATA.actions(), 10, shuffle, 42, prefetch);
    }
}
