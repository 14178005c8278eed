package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table paths that do not point at a folder of our tables — one of the tables, a folder inside one, a
 * table of another kind, nothing — are one error line saying what was found and which folder to pass.
 */
@Tag("slow")
class TablePathCommandTest {
    private static final String TRAJECTORY_HINT = "the folder that holds steps/ and episodes/";

    @TempDir
    static Path tmp;
    /** Trajectory tables of two expert episodes: {@code <root>/steps}, {@code <root>/episodes}. */
    private static Path root;

    @BeforeAll
    static void writeTrajectoryTables() {
        root = tmp.resolve("expert");
        CommandRun run = CommandRun.of("generate-expert", "--expert", "cartpole-balance", "--env", "CartPole-v1", "--episodes", "2",
                "--table", root.toString());
        assertEquals(0, run.exitCode(), run.toString());
    }

    @Test
    void aTrajectoryTableInsteadOfItsFolderNamesTheFolder() {
        Path steps = root.resolve("steps");
        String message = steps + " is the steps table of the trajectory tables at " + root + ": pass " + root + ", " + TRAJECTORY_HINT;
        CommandRun.of("dataset", "describe", "--table", steps.toString()).assertFailed(1, message);
        CommandRun.of("dataset", "import", "--npz", npz().toString(), "--table", steps.toString()).assertFailed(1, message);
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-table", steps.toString()).assertFailed(1, message);
        CommandRun.of("generate-expert", "--expert", "cartpole-balance", "--env", "CartPole-v1", "--episodes", "2",
                "--table", root.resolve("episodes").toString())
                .assertFailed(1, root.resolve("episodes") + " is the episodes table of the trajectory tables at " + root);
        Path partition = steps.resolve("dataset=CartPole-v1");
        CommandRun.of("dataset", "export", "--table", partition.toString(), "--npz", tmp.resolve("out.npz").toString())
                .assertFailed(1, partition + " is inside the steps table of the trajectory tables at " + root + ": pass " + root);
    }

    @Test
    void tablesOfAnotherKindSayWhatTheyAre() throws IOException {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.writeString(models.resolve("m.zip"), "never opened: the tables are checked first");
        CommandRun.of("evaluate", "--models", models.toString(), "--env", "CartPole-v1", "--table", root.toString())
                .assertFailed(1, "the Delta table at " + root.resolve("episodes") + " has the columns of the episodes table of trajectory "
                        + "tables, not those of the episodes table of evaluation results (");
        CommandRun.of("evaluate", "--models", models.toString(), "--env", "CartPole-v1", "--table", root.resolve("steps").toString())
                .assertFailed(1, root.resolve("steps") + " is a Delta table with the columns of the steps table of trajectory tables, "
                        + "not a folder of evaluation results: pass the folder that holds episodes/ and summary/");
        Path swapped = tmp.resolve("swapped");
        copy(root.resolve("episodes"), swapped.resolve("steps"));
        copy(root.resolve("steps"), swapped.resolve("episodes"));
        CommandRun.of("dataset", "describe", "--table", swapped.toString())
                .assertFailed(1, "the Delta table at " + swapped.resolve("steps") + " has the columns of the episodes table of trajectory "
                        + "tables, not those of the steps table of trajectory tables (");
    }

    @Test
    void aMissingTableSaysSo() {
        Path missing = tmp.resolve("missing");
        CommandRun.of("dataset", "describe", "--table", missing.toString())
                .assertFailed(1, "no Delta steps table at " + missing.resolve("steps") + ": write trajectories there first");
    }

    private static Path npz() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("data/expert_cartpole.npz"))) {
                return dir.resolve("data/expert_cartpole.npz");
            }
        }
        throw new IllegalStateException("no data/expert_cartpole.npz above " + Path.of("").toAbsolutePath());
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
}
