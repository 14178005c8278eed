package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.SharedReference;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.jobs.DatasetCommand.Describe;
import org.sparkbaselines.jobs.DatasetCommand.Describe.Described;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.dataset.KernelUnsupportedException;

/** {@code sb dataset}: over 60 s on our 2-core machine, each command line starts and stops its own Spark session. */
@Tag("slow")
class DatasetCommandTest {

    @TempDir
    Path tmp;

    @Test
    void importDescribeExportAndReimportTheReferenceNpz() throws IOException {
        Path reference = referenceNpz();
        String table = tmp.resolve("tables").toString();
        String[] importArgs = {"dataset", "import", "--npz", reference.toString(), "--table", table, "--env", "CartPole-v1"};
        CommandRun imported = CommandRun.of(importArgs);
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.stdout().matches("(?s).*\\(dataset CartPole-v1, run [0-9a-f]{16}\\).*episodes\\s+5 \\(5 new\\).*steps\\s+2500\\n.*"),
                imported.stdout());

        CommandRun described = CommandRun.of("dataset", "describe", "--table", table);
        assertEquals(0, described.exitCode(), described.toString());
        assertTrue(described.stdout().contains("1 dataset(s): CartPole-v1"), described.stdout());
        assertTrue(described.stdout().matches("(?s).*episodes\\s+5\\n.*steps\\s+2500\\n.*return\\s+500\\.00 \\+/- 0\\.00 \\(min 500\\.00, max 500\\.00\\)"
                + ".*obs size\\s+4\\n.*action size\\s+1\\n.*"), described.stdout());

        Path exported = tmp.resolve("exported.npz");
        CommandRun export = CommandRun.of("dataset", "export", "--table", table, "--npz", exported.toString());
        assertEquals(0, export.exitCode(), export.toString());
        Map<String, NdArray> original = Npz.read(reference);
        Map<String, NdArray> roundTripped = Npz.read(exported);
        assertEquals(original.keySet(), roundTripped.keySet());
        original.forEach((key, array) -> assertEquals(array, roundTripped.get(key), key));

        CommandRun again = CommandRun.of(importArgs);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.stdout().matches("(?s).*episodes\\s+5 \\(0 new\\).*"), again.stdout());

        CommandRun unknown = CommandRun.of("dataset", "describe", "--table", table, "--dataset", "nope");
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.stderr().contains("no dataset 'nope'") && unknown.stderr().contains("its datasets are CartPole-v1"), unknown.stderr());
    }

    /**
     * {@code describe} reads the tables with Delta Kernel, without Spark: what it prints is what the
     * Spark path prints, for the shipped table, for tables of several datasets and runs, with
     * {@code --dataset}, and when a dataset is unknown; tables Kernel cannot read are described by Spark.
     */
    @Test
    void describeWithoutSparkPrintsWhatSparkPrints() throws IOException {
        String shipped = ancestorHolding("data/expert-cartpole").toString();
        assertEquals(Describe.withSpark(shipped, null).format(shipped), Describe.withKernel(shipped, null).format(shipped));

        String table = tmp.resolve("several").toString();
        importNpz(referenceNpz(), table, "reference");
        importNpz(ancestorHolding("data/expert_cartpole.npz"), table, "mixed");
        importNpz(referenceNpz(), table, "mixed");
        Described all = Describe.withKernel(table, null);
        assertEquals(List.of("mixed", "reference"), all.datasets());
        assertEquals(2, all.summaries().get(0).runs());
        assertEquals(Describe.withSpark(table, null).format(table), all.format(table));
        assertEquals(Describe.withSpark(table, "mixed").format(table), Describe.withKernel(table, "mixed").format(table));
        CommandRun described = CommandRun.of("dataset", "describe", "--table", table, "--dataset", "reference");
        assertEquals(0, described.exitCode(), described.toString());
        assertEquals(new Described(all.datasets(), List.of(all.summaries().get(1))).format(table), described.stdout());
        String sparkUnknown = assertThrows(IllegalArgumentException.class, () -> Describe.withSpark(table, "nope")).getMessage();
        String kernelUnknown = assertThrows(IllegalArgumentException.class, () -> Describe.withKernel(table, "nope")).getMessage();
        assertEquals(sparkUnknown, kernelUnknown);
        assertTrue(kernelUnknown.contains("no dataset 'nope'") && kernelUnknown.contains("its datasets are mixed, reference"), kernelUnknown);

        Path widened = tmp.resolve("widened");
        copy(Path.of(table, "steps"), widened.resolve("steps"));
        copy(Path.of(table, "episodes"), widened.resolve("episodes"));
        try (SparkSession spark = SparkSessions.getOrCreate("type widening")) {
            // A reader feature of Delta 3.2 that Kernel 3.2 does not read.
            spark.sql("ALTER TABLE delta.`" + widened.resolve("episodes") + "` SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
        }
        assertThrows(KernelUnsupportedException.class, () -> Describe.withKernel(widened.toString(), null));
        CommandRun bySpark = CommandRun.of("dataset", "describe", "--table", widened.toString());
        assertEquals(0, bySpark.exitCode(), bySpark.toString());
        assertEquals(all.format(widened.toString()), bySpark.stdout());
    }

    private static void importNpz(Path npz, String table, String dataset) {
        CommandRun imported = CommandRun.of("dataset", "import", "--npz", npz.toString(), "--table", table, "--dataset", dataset);
        assertEquals(0, imported.exitCode(), imported.toString());
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
    void aSubcommandIsRequired() {
        CommandRun bare = CommandRun.of("dataset");
        assertEquals(2, bare.exitCode(), bare.toString());
        assertTrue(bare.stderr().contains("name a subcommand: import, export or describe"), bare.stderr());
    }

    private static Path referenceNpz() {
        return SharedReference.path("expert_cartpole_reference_layout.npz");
    }

    /** {@code relative} under the nearest ancestor of the working directory that holds it. */
    private static Path ancestorHolding(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(relative);
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath());
    }
}
