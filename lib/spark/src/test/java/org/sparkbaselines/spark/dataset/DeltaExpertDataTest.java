package org.sparkbaselines.spark.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.imitation.DatasetDescription;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * Expert datasets in Delta against real tables: the reference's {@code .npz} round trip, idempotent
 * imports, the SQL selection (run, source, traj_limitation, split by episode), statistics, errors,
 * and the shipped {@code data/} dataset; and {@link KernelExpertData}, which describes the same tables
 * without Spark, against the Spark path. Over 60 s on our 2-core machine: a dozen Delta commits and queries.
 */
@Tag("slow")
class DeltaExpertDataTest {
    private static final Space CARTPOLE_OBS = new Box(-5, 5, 4);
    private static final Space CARTPOLE_ACTIONS = new Discrete(2);
    private static final String REFERENCE = "reference";
    private static final String SYNTHETIC = "synthetic";

    private static SparkSession spark;
    private static String table;
    private static Path referenceNpz;
    /** Six episodes of 3 to 8 steps, and two more in another file: the synthetic dataset's two runs. */
    private static TrajectoryData sixEpisodes;
    private static TrajectoryData twoEpisodes;
    private static ExpertNpz.ImportResult referenceImport;
    private static ExpertNpz.ImportResult sixImport;

    @TempDir
    static Path sharedDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void importDatasets() throws IOException {
        spark = SparkSessions.forTests();
        table = sharedDir.resolve("tables").toString();
        referenceNpz = ancestorHolding("shared/reference/expert_cartpole_reference_layout.npz");
        referenceImport = ExpertNpz.importNpz(spark, referenceNpz, table, REFERENCE, "CartPole-v1");
        sixEpisodes = cartPoleShaped(new int[] {5, 3, 8, 4, 7, 6}, 1);
        twoEpisodes = cartPoleShaped(new int[] {4, 5}, 2);
        sixImport = ExpertNpz.importNpz(spark, write(sixEpisodes, "six.npz"), table, SYNTHETIC, null);
        ExpertNpz.importNpz(spark, write(twoEpisodes, "two.npz"), table, SYNTHETIC, "CartPole-v1");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void theReferenceNpzRoundTripsLosslessly() throws IOException {
        assertEquals(new ExpertNpz.ImportResult(REFERENCE, referenceImport.runId(), 5, 2500, 5), referenceImport);
        Path exported = dir.resolve("exported.npz");
        ExpertNpz.exportNpz(spark, table, REFERENCE, "CartPole-v1", exported);
        Map<String, NdArray> original = Npz.read(referenceNpz);
        Map<String, NdArray> roundTripped = Npz.read(exported);
        assertEquals(List.copyOf(original.keySet()), List.copyOf(roundTripped.keySet()), "keys, in order");
        original.forEach((key, array) -> assertEquals(array, roundTripped.get(key), key));
    }

    @Test
    void reimportingTheSameTrajectoriesCommitsNothing() throws IOException {
        TrajectoryStore store = DeltaExpertData.at(spark, table).store();
        long stepsVersion = version(store.stepsPath());
        long episodesVersion = version(store.episodesPath());
        Path copy = Files.copy(referenceNpz, dir.resolve("renamed.npz"));
        ExpertNpz.ImportResult again = ExpertNpz.importNpz(spark, copy, table, REFERENCE, "CartPole-v1");
        assertEquals(new ExpertNpz.ImportResult(REFERENCE, referenceImport.runId(), 5, 2500, 0), again, "keyed by content, not file");
        assertEquals(stepsVersion, version(store.stepsPath()));
        assertEquals(episodesVersion, version(store.episodesPath()));
    }

    @Test
    void importedRowsSayWhatTheNpzCannot() {
        Row last = DeltaExpertData.at(spark, table).steps(ExpertQuery.of(SYNTHETIC).withRunId(sixImport.runId()))
                .where("episode_id = 1 AND t = 2").first();
        assertTrue(last.getBoolean(last.fieldIndex("truncated")) && !last.getBoolean(last.fieldIndex("terminated")));
        assertTrue(last.isNullAt(last.fieldIndex("next_obs")), "no observation after the last step");
        Row first = DeltaExpertData.at(spark, table).steps(ExpertQuery.of(SYNTHETIC).withRunId(sixImport.runId()))
                .where("episode_id = 1 AND t = 0").first();
        assertArrayEquals(sixEpisodes.observations()[6], TrajectoryStore.floats(first, "next_obs"));
    }

    @Test
    void trajLimitationKeepsTheFirstEpisodesInRunOrder() {
        DeltaExpertData expert = DeltaExpertData.at(spark, table);
        ExpertQuery sixRun = ExpertQuery.of(SYNTHETIC).withRunId(sixImport.runId());
        assertSameTrajectories(sixEpisodes.firstEpisodes(3), expert.load(sixRun.withTrajLimitation(3), CARTPOLE_OBS, CARTPOLE_ACTIONS));

        List<String> order = new ArrayList<>();
        for (Row row : expert.episodes(ExpertQuery.of(SYNTHETIC).withTrajLimitation(7)).collectAsList()) {
            order.add(row.getString(row.fieldIndex("run_id")) + "/" + row.getLong(row.fieldIndex("episode_id")));
        }
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(7, order.size());
        assertEquals(sorted, order, "(run_id, episode_id) order");
    }

    @Test
    void aSourceSelectsOneImport() {
        TrajectoryData two = DeltaExpertData.at(spark, table).load(ExpertQuery.of(SYNTHETIC).withSource("npz:two.npz"), CARTPOLE_OBS,
                CARTPOLE_ACTIONS);
        assertSameTrajectories(twoEpisodes, two);
    }

    @Test
    void theEpisodeSplitIsDeterministicDisjointAndComplete() {
        DeltaExpertData expert = DeltaExpertData.at(spark, table);
        ExpertQuery all = ExpertQuery.of(SYNTHETIC);
        Set<String> train = keys(expert, all.trainEpisodes(0.7, 3));
        Set<String> validation = keys(expert, all.validationEpisodes(0.7, 3));
        assertEquals(5, train.size(), "floor(0.7 * 8) episodes train");
        assertEquals(3, validation.size());
        Set<String> union = new HashSet<>(train);
        union.addAll(validation);
        assertEquals(keys(expert, all), union);
        assertEquals(train, keys(expert, all.trainEpisodes(0.7, 3)), "the same seed gives the same split");
        assertNotEquals(train, keys(expert, all.trainEpisodes(0.7, 4)), "another seed, another split");
        TrajectoryData trainData = expert.load(all.trainEpisodes(0.7, 3), CARTPOLE_OBS, CARTPOLE_ACTIONS);
        assertEquals(5, trainData.episodes());
    }

    @Test
    void statisticsAreTheSelectedDatasMoments() {
        NormalizationStatistics stats = DeltaExpertData.at(spark, table).statistics(ExpertQuery.of(SYNTHETIC).withRunId(sixImport.runId()));
        assertEquals(6, stats.episodes());
        assertEquals(33, stats.steps());
        for (int dim = 0; dim < 4; dim++) {
            double[] values = new double[sixEpisodes.steps()];
            for (int step = 0; step < values.length; step++) {
                values[step] = sixEpisodes.observations()[step][dim];
            }
            double mean = Arrays.stream(values).average().orElseThrow();
            double std = Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
            assertEquals(mean, stats.observationMean()[dim], 1e-9, "mean of dim " + dim);
            assertEquals(std, stats.observationStd()[dim], 1e-9, "std of dim " + dim);
        }
        DatasetDescription returns = DatasetDescription.of(sixEpisodes.episodeReturns(), sixEpisodes.steps());
        assertEquals(returns.returnMean(), stats.returnMean(), 1e-12);
        assertEquals(returns.returnStd(), stats.returnStd(), 1e-12);
    }

    @Test
    void describeSummarizesEveryDataset() {
        List<DatasetSummary> summaries = DeltaExpertData.at(spark, table).describe();
        assertEquals(List.of(REFERENCE, SYNTHETIC), summaries.stream().map(DatasetSummary::dataset).toList());
        assertEquals(new DatasetSummary(REFERENCE, 1, List.of("npz:expert_cartpole_reference_layout.npz"),
                new DatasetDescription(5, 2500, 500, 0, 500, 500), 4, 1), summaries.get(0));
        DatasetSummary synthetic = DeltaExpertData.at(spark, table).describe(SYNTHETIC);
        assertEquals(List.of("npz:six.npz", "npz:two.npz"), synthetic.sources());
        assertEquals(2, synthetic.runs());
        assertEquals(8, synthetic.description().episodes());
    }

    @Test
    void kernelDescribesTheTablesAsSparkDoes() {
        DeltaExpertData bySpark = DeltaExpertData.at(spark, table);
        KernelExpertData byKernel = KernelExpertData.at(table);
        assertEquals(bySpark.store().stepsPath(), byKernel.stepsPath());
        assertEquals(bySpark.store().episodesPath(), byKernel.episodesPath());
        assertSameSummaries(bySpark.describe(), byKernel.describe());
        assertSameSummaries(List.of(bySpark.describe(SYNTHETIC)), List.of(byKernel.describe(SYNTHETIC)));
        assertEquals(List.of("npz:six.npz", "npz:two.npz"), byKernel.describe(SYNTHETIC).sources());
        assertEquals(2, byKernel.describe(SYNTHETIC).runs());
        String sparkUnknown = assertThrows(IllegalArgumentException.class, () -> bySpark.describe("nope")).getMessage();
        String kernelUnknown = assertThrows(IllegalArgumentException.class, () -> byKernel.describe("nope")).getMessage();
        assertEquals(sparkUnknown, kernelUnknown);
        assertTrue(kernelUnknown.contains("its datasets are reference, synthetic"), kernelUnknown);
    }

    @Test
    void kernelDescribesTheShippedTableAsSparkDoes() {
        String shipped = ancestorHolding("data/expert-cartpole").toString();
        List<DatasetSummary> kernel = KernelExpertData.at(shipped).describe();
        assertSameSummaries(DeltaExpertData.at(spark, shipped).describe(), kernel);
        assertEquals(new DatasetDescription(10, 5000, 500, 0, 500, 500), kernel.get(0).description());
    }

    @Test
    void kernelRefusesWrongFoldersAsSparkDoes() throws IOException {
        TrajectoryStore store = DeltaExpertData.at(spark, table).store();
        Path swapped = dir.resolve("swapped");
        copy(Path.of(store.episodesPath()), swapped.resolve("steps"));
        copy(Path.of(store.stepsPath()), swapped.resolve("episodes"));
        for (String root : List.of(dir.resolve("missing").toString(), store.stepsPath(), store.stepsPath() + "/dataset=reference",
                store.episodesPath(), swapped.toString())) {
            String sparkError = assertThrows(IllegalArgumentException.class, () -> DeltaExpertData.at(spark, root)).getMessage();
            String kernelError = assertThrows(IllegalArgumentException.class, () -> KernelExpertData.at(root)).getMessage();
            assertEquals(sparkError, kernelError, root);
        }
    }

    @Test
    void aTableKernelCannotReadIsSaidToBeUnsupported() throws IOException {
        TrajectoryStore store = DeltaExpertData.at(spark, table).store();
        Path widened = dir.resolve("widened");
        copy(Path.of(store.stepsPath()), widened.resolve("steps"));
        copy(Path.of(store.episodesPath()), widened.resolve("episodes"));
        // A reader feature of Delta 3.2 that Kernel 3.2 does not read.
        spark.sql("ALTER TABLE delta.`" + widened.resolve("episodes") + "` SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
        KernelUnsupportedException unsupported = assertThrows(KernelUnsupportedException.class,
                () -> KernelExpertData.at(widened.toString()).describe());
        assertTrue(unsupported.getMessage().contains("typeWidening"), unsupported.getMessage());
        assertSameSummaries(DeltaExpertData.at(spark, table).describe(), DeltaExpertData.at(spark, widened.toString()).describe());
    }

    /** Equal summaries, the return's mean and std to rounding (the two paths add the returns up in different orders). */
    private static void assertSameSummaries(List<DatasetSummary> expected, List<DatasetSummary> actual) {
        assertEquals(expected.stream().map(DeltaExpertDataTest::withoutMoments).toList(),
                actual.stream().map(DeltaExpertDataTest::withoutMoments).toList());
        for (int i = 0; i < expected.size(); i++) {
            DatasetDescription e = expected.get(i).description();
            DatasetDescription a = actual.get(i).description();
            double tolerance = 1e-12 * Math.max(1, Math.abs(e.returnMean()));
            assertEquals(e.returnMean(), a.returnMean(), tolerance, expected.get(i).dataset());
            assertEquals(e.returnStd(), a.returnStd(), tolerance, expected.get(i).dataset());
        }
    }

    private static DatasetSummary withoutMoments(DatasetSummary s) {
        DatasetDescription d = s.description();
        return new DatasetSummary(s.dataset(), s.runs(), s.sources(), new DatasetDescription(d.episodes(), d.steps(), 0, 0, d.returnMin(),
                d.returnMax()), s.observationDim(), s.actionDim());
    }

    /** A copy of a Delta table's folder: a table of the same columns (its log refers to its files relatively). */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    @Test
    void errorsNameTheProblem() {
        DeltaExpertData expert = DeltaExpertData.at(spark, table);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> expert.load(ExpertQuery.of("nope"), CARTPOLE_OBS, CARTPOLE_ACTIONS)).getMessage();
        assertTrue(unknown.contains("no dataset 'nope'") && unknown.contains("its datasets are reference, synthetic"), unknown);
        String none = assertThrows(IllegalArgumentException.class,
                () -> expert.statistics(ExpertQuery.of(SYNTHETIC).withSource("nobody"))).getMessage();
        assertTrue(none.contains("selects no episode"), none);
        String pendulum = assertThrows(IllegalArgumentException.class,
                () -> expert.load(ExpertQuery.of(REFERENCE), new Box(-8, 8, 3), new Box(-2, 2, 1))).getMessage();
        assertTrue(pendulum.contains("observations of dataset 'reference' have 4 value(s) per step"), pendulum);
        String missing = assertThrows(IllegalArgumentException.class, () -> DeltaExpertData.at(spark, dir.toString())).getMessage();
        assertTrue(missing.contains("no Delta steps table at " + dir), missing);
        String wrongEnv = assertThrows(IllegalArgumentException.class,
                () -> ExpertNpz.importNpz(spark, referenceNpz, table, "pendulum", "Pendulum-v1")).getMessage();
        assertTrue(wrongEnv.contains("have 4 value(s) per step"), wrongEnv);
    }

    @Test
    void theShippedDeltaTableAndNpzHoldTheSameEpisodes() throws IOException {
        Path data = ancestorHolding("data/expert-cartpole").getParent();
        TrajectoryData delta = DeltaExpertData.at(spark, data.resolve("expert-cartpole").toString())
                .load(ExpertQuery.of("ppo2-cartpole"), CARTPOLE_OBS, CARTPOLE_ACTIONS);
        TrajectoryData npz = TrajectoryData.readNpz(data.resolve("expert_cartpole.npz"));
        assertSameTrajectories(npz, delta);
        assertEquals(10, delta.episodes());
    }

    @Test
    void theShippedPendulumTableAndNpzHoldTheSameEpisodes() throws IOException {
        Path data = ancestorHolding("data/expert-pendulum").getParent();
        TrajectoryData delta = DeltaExpertData.at(spark, data.resolve("expert-pendulum").toString())
                .load(ExpertQuery.of("sac-pendulum"), new Box(-8, 8, 3), new Box(-2, 2, 1));
        assertSameTrajectories(TrajectoryData.readNpz(data.resolve("expert_pendulum.npz")), delta);
        assertEquals(10, delta.episodes());
    }

    private static void assertSameTrajectories(TrajectoryData expected, TrajectoryData actual) {
        assertEquals(expected.layout(), actual.layout());
        assertArrayEquals(expected.observations(), actual.observations(), "observations");
        assertArrayEquals(expected.actions(), actual.actions(), "actions");
        assertArrayEquals(expected.rewards(), actual.rewards(), "rewards");
        assertArrayEquals(expected.episodeReturns(), actual.episodeReturns(), "returns");
        assertArrayEquals(expected.episodeStarts(), actual.episodeStarts(), "starts");
    }

    private static Set<String> keys(DeltaExpertData expert, ExpertQuery query) {
        Set<String> keys = new HashSet<>();
        for (Row row : expert.episodes(query).select("run_id", "episode_id").collectAsList()) {
            keys.add(row.getString(0) + "/" + row.getLong(1));
        }
        return keys;
    }

    /** Random CartPole-sized episodes of the given lengths: 4 observation values, Discrete(2) actions, reward 1. */
    private static TrajectoryData cartPoleShaped(int[] lengths, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int steps = Arrays.stream(lengths).sum();
        float[][] obs = new float[steps][];
        float[][] actions = new float[steps][];
        boolean[] starts = new boolean[steps];
        double[] rewards = new double[steps];
        Arrays.fill(rewards, 1);
        int step = 0;
        for (int length : lengths) {
            starts[step] = true;
            for (int t = 0; t < length; t++, step++) {
                obs[step] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian(),
                    (float) random.nextGaussian()};
                actions[step] = new float[] {random.nextInt(2)};
            }
        }
        return new TrajectoryData(obs, actions, rewards, Arrays.stream(lengths).asDoubleStream().toArray(), starts,
                TrajectoryData.Layout.forSpaces(CARTPOLE_OBS, CARTPOLE_ACTIONS));
    }

    private static Path write(TrajectoryData data, String name) throws IOException {
        Path file = sharedDir.resolve(name);
        data.writeNpz(file);
        return file;
    }

    /** {@code relative} under the nearest ancestor of the working directory that holds it. */
    private static Path ancestorHolding(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath());
    }

    private static long version(String path) {
        return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
    }
}
