package org.sparkbaselines.imitation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.imitation.ExpertDataset.Options;
import org.sparkbaselines.imitation.ExpertDataset.Split;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

class ExpertDatasetTest {
    private static final Options QUIET = Options.DEFAULT.withVerbose(0).withSeed(0L);
    private static final Box CARTPOLE_OBS = new Box(-10, 10, 4);
    private static final Discrete CARTPOLE_ACTIONS = new Discrete(2);

    @TempDir
    Path tmp;

    @Test
    void loadsTheNumpyWrittenReferenceFile() throws IOException {
        try (ExpertDataset dataset = ExpertDataset.fromNpz(ExpertFixtures.referenceNpz(), QUIET)) {
            TrajectoryData data = dataset.data();
            assertEquals(2500, data.steps());
            assertEquals(4, data.observationDim());
            assertEquals(1, data.actionDim());
            assertEquals(new TrajectoryData.Layout(DType.FLOAT32, new int[] {4}, DType.INT64, new int[] {1}), data.layout());
            assertEquals(new DatasetDescription(5, 2500, 500, 0, 500, 500), dataset.describe());
            assertArrayEquals(new float[] {0.01369617f, -0.02302133f, -0.04590265f, -0.04834723f}, data.observations()[0], 1e-8f);
            assertArrayEquals(new float[] {0}, data.actions()[0]);
            assertArrayEquals(new float[] {1}, data.actions()[1]);
            assertTrue(data.episodeStarts()[500] && !data.episodeStarts()[499]);
            dataset.checkSpaces(CARTPOLE_OBS, CARTPOLE_ACTIONS);
        }
    }

    @Test
    void trajLimitationKeepsTheFirstEpisodes() throws IOException {
        try (ExpertDataset dataset = ExpertDataset.fromNpz(ExpertFixtures.referenceNpz(), QUIET.withTrajLimitation(2))) {
            assertEquals(1000, dataset.data().steps());
            assertEquals(2, dataset.describe().episodes());
            assertEquals(700, dataset.size(Split.TRAIN));
            assertEquals(300, dataset.size(Split.VALIDATION));
        }
        TrajectoryData counting = ExpertFixtures.counting(3, 10);
        assertEquals(20, counting.firstEpisodes(2).steps());
        assertSame(counting, counting.firstEpisodes(3), "asking for all episodes keeps the data as it is");
    }

    @Test
    void splitsAShuffledPermutationByTrainFraction() {
        try (ExpertDataset dataset = new ExpertDataset(ExpertFixtures.counting(5, 500), QUIET.withSequentialPreprocessing(true))) {
            assertEquals(1750, dataset.size(Split.TRAIN));
            assertEquals(750, dataset.size(Split.VALIDATION));
            Set<Integer> train = new HashSet<>(epoch(dataset, Split.TRAIN));
            Set<Integer> validation = new HashSet<>(epoch(dataset, Split.VALIDATION));
            assertEquals(1750, train.size());
            assertEquals(750, validation.size());
            train.addAll(validation);
            assertEquals(2500, train.size(), "the splits are disjoint and cover every step");
            assertTrue(validation.stream().anyMatch(step -> step < 500), "validation steps come from all over the data, not just its end");
        }
    }

    @Test
    void batchesHaveBatchSizeRowsAndCycleThroughEpochs() {
        try (ExpertDataset dataset = new ExpertDataset(ExpertFixtures.counting(5, 500), QUIET.withSequentialPreprocessing(true))) {
            assertEquals(28, dataset.batchesPerEpoch(Split.TRAIN));
            List<Integer> sizes = new ArrayList<>();
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 28; i++) {
                Batch batch = dataset.getNextBatch(Split.TRAIN);
                sizes.add(batch.size());
                first.addAll(ExpertFixtures.stepsOf(batch));
            }
            assertEquals(27, sizes.stream().filter(size -> size == 64).count());
            assertEquals(1750 - 27 * 64, sizes.get(27), "the last batch of an epoch holds the remainder");
            List<Integer> second = epoch(dataset, Split.TRAIN);
            assertEquals(64, dataset.getNextBatch(Split.TRAIN).size(), "the third epoch starts with a full batch");
            assertEquals(new HashSet<>(first), new HashSet<>(second), "every epoch visits the same training steps");
            assertNotEquals(first, second, "in a new order");
        }
    }

    @Test
    void withoutRandomizeBatchesComeInStepOrder() {
        try (ExpertDataset dataset = new ExpertDataset(ExpertFixtures.counting(2, 50), QUIET.withRandomize(false))) {
            assertEquals(range(0, 64), ExpertFixtures.stepsOf(dataset.getNextBatch(Split.TRAIN)));
            assertEquals(range(64, 70), ExpertFixtures.stepsOf(dataset.getNextBatch(Split.TRAIN)));
            assertEquals(range(0, 64), ExpertFixtures.stepsOf(dataset.getNextBatch(Split.TRAIN)), "the next epoch, in the same order");
            assertEquals(range(70, 100), ExpertFixtures.stepsOf(dataset.getNextBatch(Split.VALIDATION)));
        }
    }

    @Test
    void theSeedFixesTheSplitAndTheBatches() {
        TrajectoryData data = ExpertFixtures.counting(4, 100);
        try (ExpertDataset a = new ExpertDataset(data, QUIET.withSeed(7L));
                ExpertDataset b = new ExpertDataset(data, QUIET.withSeed(7L));
                ExpertDataset c = new ExpertDataset(data, QUIET.withSeed(8L))) {
            List<Integer> fromA = epoch(a, Split.VALIDATION);
            assertEquals(fromA, epoch(b, Split.VALIDATION));
            assertNotEquals(fromA, epoch(c, Split.VALIDATION));
        }
    }

    @Test
    void prefetchingServesTheSameBatchesAsTheCallersThread() {
        TrajectoryData data = ExpertFixtures.counting(5, 100);
        try (ExpertDataset prefetched = new ExpertDataset(data, QUIET.withBatchSize(32));
                ExpertDataset sequential = new ExpertDataset(data, QUIET.withBatchSize(32).withSequentialPreprocessing(true))) {
            for (Split split : Split.values()) {
                for (int i = 0; i < 3 * prefetched.batchesPerEpoch(split); i++) {
                    Batch expected = sequential.getNextBatch(split);
                    Batch actual = prefetched.getNextBatch(split);
                    assertArrayEquals(expected.observations(), actual.observations(), split + " batch " + i);
                    assertArrayEquals(expected.actions(), actual.actions(), split + " batch " + i);
                }
            }
        }
    }

    @Test
    void npzRoundTripIsLossless() throws IOException {
        Path reference = ExpertFixtures.referenceNpz();
        Path copy = tmp.resolve("copy.npz");
        try (ExpertDataset dataset = ExpertDataset.fromNpz(reference, QUIET)) {
            dataset.toNpz(copy);
        }
        Map<String, NdArray> original = Npz.read(reference);
        Map<String, NdArray> written = Npz.read(copy);
        assertEquals(List.copyOf(original.keySet()), List.copyOf(written.keySet()));
        assertEquals(original, written);
    }

    @Test
    void layoutForSpacesIsWhatTheReferenceWrites() throws IOException {
        TrajectoryData data = new TrajectoryData(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}, new float[][] {{1}, {0}}, new double[] {1, 1},
                new double[] {2}, new boolean[] {true, false}, TrajectoryData.Layout.forSpaces(CARTPOLE_OBS, CARTPOLE_ACTIONS));
        Path file = tmp.resolve("two-steps.npz");
        data.writeNpz(file);
        Map<String, NdArray> arrays = Npz.read(file);
        assertEquals(NdArray.ofLongs(new long[] {1, 0}, 2, 1), arrays.get(TrajectoryData.ACTIONS));
        assertEquals(NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4), arrays.get(TrajectoryData.OBS));
        assertEquals(NdArray.ofBooleans(new boolean[] {true, false}, 2), arrays.get(TrajectoryData.EPISODE_STARTS));
    }

    @Test
    void aMissingArrayIsAnErrorNamingIt() throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>(Npz.read(ExpertFixtures.referenceNpz()));
        arrays.remove(TrajectoryData.EPISODE_STARTS);
        Path file = tmp.resolve("no-starts.npz");
        Npz.write(file, arrays);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ExpertDataset.fromNpz(file, QUIET));
        assertTrue(e.getMessage().contains("no 'episode_starts' array"), e.getMessage());
    }

    @Test
    void aNanObservationIsAnErrorNamingTheStep() throws IOException {
        float[][] obs = {{0, 1}, {2, 3}, {4, Float.NaN}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrajectoryData(obs,
                new float[][] {{0}, {1}, {0}}, new double[3], new double[] {0}, new boolean[] {true, false, false}));
        assertTrue(e.getMessage().contains("obs at step 2 is NaN at index 1"), e.getMessage());

        Map<String, NdArray> arrays = new LinkedHashMap<>(Npz.read(ExpertFixtures.referenceNpz()));
        float[] values = arrays.get(TrajectoryData.OBS).toFloatArray();
        values[4 * 1234] = Float.NaN;
        arrays.put(TrajectoryData.OBS, NdArray.ofFloats(values, 2500, 4));
        Path file = tmp.resolve("nan.npz");
        Npz.write(file, arrays);
        MalformedFileException fromFile = assertThrows(MalformedFileException.class, () -> ExpertDataset.fromNpz(file, QUIET));
        assertTrue(fromFile.getMessage().contains("obs at step 1234 is NaN"), fromFile.getMessage());
    }

    @Test
    void actionsOfTheWrongSizeForTheSpaceAreAnError() {
        TrajectoryData twoValueActions = new TrajectoryData(new float[][] {{0, 0, 0, 0}, {0, 0, 0, 0}}, new float[][] {{0, 1}, {1, 0}},
                new double[2], new double[] {0}, new boolean[] {true, false});
        try (ExpertDataset dataset = new ExpertDataset(twoValueActions, QUIET)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dataset.checkSpaces(CARTPOLE_OBS, CARTPOLE_ACTIONS));
            assertTrue(e.getMessage().contains("actions have shape (steps, 2)") && e.getMessage().contains("Discrete(2) takes 1"), e.getMessage());
            IllegalArgumentException obs = assertThrows(IllegalArgumentException.class,
                    () -> dataset.checkSpaces(new Box(-1, 1, 3), new Box(-1, 1, 2)));
            assertTrue(obs.getMessage().contains("observations have shape (steps, 4)"), obs.getMessage());
        }
    }

    @Test
    void aDiscreteActionOutOfRangeIsAnErrorNamingTheStep() {
        TrajectoryData data = ExpertFixtures.counting(2, 10);
        data.actions()[13][0] = 2;
        try (ExpertDataset dataset = new ExpertDataset(data, QUIET)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dataset.checkSpaces(new Box(0, 100, 1), CARTPOLE_ACTIONS));
            assertTrue(e.getMessage().contains("action at step 13 is [2.0], not in Discrete(2)"), e.getMessage());
        }
    }

    @Test
    void inconsistentArraysAreErrorsNamingThem() {
        float[][] obs = {{0}, {1}, {2}};
        float[][] actions = {{0}, {1}, {0}};
        assertMessage("obs has 3 steps but rewards has 2",
                () -> new TrajectoryData(obs, actions, new double[2], new double[] {0}, new boolean[] {true, false, false}));
        assertMessage("episode_starts marks 2 episodes but episode_returns has 1",
                () -> new TrajectoryData(obs, actions, new double[3], new double[] {0}, new boolean[] {true, false, true}));
        assertMessage("episode_starts[0] is false",
                () -> new TrajectoryData(obs, actions, new double[3], new double[] {0}, new boolean[] {false, true, false}));
        assertMessage("actions at step 1 holds 0.5 at index 0, which int64 cannot store",
                () -> new TrajectoryData(obs, new float[][] {{0}, {0.5f}, {1}}, new double[3], new double[] {0},
                        new boolean[] {true, false, false}, new TrajectoryData.Layout(DType.FLOAT32, new int[] {1}, DType.INT64, new int[] {1})));
        assertMessage("leaves no training sample", () -> new ExpertDataset(ExpertFixtures.counting(1, 3), QUIET.withTrainFraction(0.2)));
        assertMessage("trajLimitation must be -1 (all episodes) or positive", () -> QUIET.withTrajLimitation(0));
    }

    @Test
    void describeGivesReturnStatistics() {
        DatasetDescription description = DatasetDescription.of(new double[] {10, 20, 30}, 4);
        assertEquals(3, description.episodes());
        assertEquals(4, description.steps());
        assertEquals(20, description.returnMean(), 1e-12);
        assertEquals(Math.sqrt(200.0 / 3), description.returnStd(), 1e-12);
        assertEquals("3 episodes, 4 steps, return 20.00 +/- 8.16 (min 10.00, max 30.00)", description.toString());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** The steps of one epoch of {@code split}, in the order served. */
    private static List<Integer> epoch(ExpertDataset dataset, Split split) {
        List<Integer> steps = new ArrayList<>();
        for (int i = 0; i < dataset.batchesPerEpoch(split); i++) {
            steps.addAll(ExpertFixtures.stepsOf(dataset.getNextBatch(split)));
        }
        return steps;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
