package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;

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

    @Test
    void aSubcommandIsRequired() {
        CommandRun bare = CommandRun.of("dataset");
        assertEquals(2, bare.exitCode(), bare.toString());
        assertTrue(bare.stderr().contains("name a subcommand: import, export or describe"), bare.stderr());
    }

    private static Path referenceNpz() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("shared/reference/expert_cartpole_reference_layout.npz");
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalStateException("no shared/reference above " + Path.of("").toAbsolutePath());
    }
}
