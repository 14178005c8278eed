package org.sparkbaselines.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private Logger consoleAndJsonLogger() {
        HumanOutputFormat stdout = new HumanOutputFormat(new PrintStream(console, true, StandardCharsets.UTF_8));
        return new Logger(dir, List.of(stdout, new JsonOutputFormat(dir.resolve(JsonOutputFormat.FILE_NAME))));
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static List<LogFormat> formatsOf(Logger logger) {
        return logger.getOutputFormats().stream().map(KVWriter::format).toList();
    }

    @Test
    void recordKeepsTheLastValueAndRecordMeanAveragesUntilTheDump() {
        try (Logger logger = new Logger(null, List.of())) {
            logger.record("time/fps", 10);
            logger.record("time/fps", 20);
            for (double loss : new double[] {1, 2, 6}) {
                logger.recordMean("train/loss", loss);
            }
            assertEquals(Map.of("time/fps", 20, "train/loss", 3.0), logger.getNameToValue());

            logger.dump(1);
            assertTrue(logger.getNameToValue().isEmpty());

            logger.recordMean("train/loss", 7);
            assertEquals(7.0, logger.getNameToValue().get("train/loss"), "the mean restarts after a dump");
        }
    }

    @Test
    void excludedKeysStayOutOfThoseFormatsOnly() throws Exception {
        try (Logger logger = consoleAndJsonLogger()) {
            logger.record("only/json", 1, LogFormat.STDOUT);
            logger.recordMean("only/stdout", 2.0, LogFormat.JSON, LogFormat.TENSORBOARD);
            logger.dump(0);
        }

        assertFalse(printed().contains("json"), printed());
        assertTrue(printed().contains("stdout"), printed());
        String line = Files.readString(dir.resolve(JsonOutputFormat.FILE_NAME)).strip();
        assertEquals(Map.of("only/json", 1), new ObjectMapper().readValue(line, Map.class));
    }

    @Test
    void aFormatWithNoKeyLeftWritesNothing() throws Exception {
        try (Logger logger = consoleAndJsonLogger()) {
            logger.record("hidden", 1, LogFormat.STDOUT);
            logger.dump(0);
        }

        assertEquals("", printed());
        assertEquals(1, Files.readAllLines(dir.resolve(JsonOutputFormat.FILE_NAME)).size());
    }

    @Test
    void disabledLevelWritesNoDumpNorMessageButStillClears() throws Exception {
        try (Logger logger = consoleAndJsonLogger()) {
            logger.setLevel(LogLevel.DISABLED);
            logger.record("a", 1);
            logger.error("not shown");
            logger.dump(0);
            assertTrue(logger.getNameToValue().isEmpty());
        }

        assertEquals("", printed());
        assertEquals("", Files.readString(dir.resolve(JsonOutputFormat.FILE_NAME)));
    }

    @Test
    void messagesBelowTheLevelAreDropped() {
        try (Logger logger = consoleAndJsonLogger()) {
            assertEquals(LogLevel.INFO, logger.getLevel());
            logger.debug("hidden");
            logger.log("shown", "at", "info");
            logger.setLevel(LogLevel.WARN);
            logger.info("hidden");
            logger.warn("a", "warning");
        }

        assertEquals("shown at info\na warning\n", printed());
    }

    @Test
    void valuesMustBeNumbersOrStrings() {
        try (Logger logger = new Logger(null, List.of())) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> logger.record("train/std", List.of(1.0)));
            assertTrue(error.getMessage().contains("train/std"), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> logger.record("x", null));
        }
    }

    @Test
    void configureWritesTheGivenFormatsIntoTheGivenFolder() {
        Path folder = dir.resolve("run");
        try (Logger logger = Logger.configure(folder.toString(), List.of("csv", "json", "log"), Map.of())) {
            logger.record("a", 1);
            logger.dump(0);
            assertEquals(folder, logger.getDir());
            assertEquals(List.of(LogFormat.CSV, LogFormat.JSON, LogFormat.LOG), formatsOf(logger));
        }
        assertTrue(Files.isRegularFile(folder.resolve(CsvOutputFormat.FILE_NAME)));
        assertTrue(Files.isRegularFile(folder.resolve(JsonOutputFormat.FILE_NAME)));
        assertTrue(Files.isRegularFile(folder.resolve(HumanOutputFormat.LOG_FILE_NAME)));
    }

    @Test
    void configureReadsFolderAndFormatsFromTheEnvironment() throws Exception {
        Map<String, String> env = Map.of(Logger.LOG_DIR_ENV, dir.toString(), Logger.LOG_FORMAT_ENV, " log, CSV ,,json");
        try (Logger logger = Logger.configure(null, null, env)) {
            assertEquals(dir, logger.getDir());
            assertEquals(List.of(LogFormat.LOG, LogFormat.CSV, LogFormat.JSON), formatsOf(logger));
        }
        assertEquals("Logging to " + dir + "\n", Files.readString(dir.resolve(HumanOutputFormat.LOG_FILE_NAME)));
    }

    @Test
    void configureDefaultsToStdoutLogAndCsv() {
        try (Logger logger = Logger.configure(dir.toString(), null, Map.of())) {
            assertEquals(List.of(LogFormat.STDOUT, LogFormat.LOG, LogFormat.CSV), formatsOf(logger));
        }
    }

    @Test
    void withoutAFolderTheLogGoesToANewTempFolderCreatedOnlyForFiles() {
        try (Logger logger = Logger.configure(null, List.of(), Map.of())) {
            Path folder = logger.getDir();
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")), folder.getParent());
            assertTrue(folder.getFileName().toString().matches("SB3-\\d{4}(-\\d{2}){5}-\\d{6}"), folder.toString());
            assertFalse(Files.exists(folder), "no format writes files");
        }
    }

    @Test
    void anUnknownFormatInTheEnvironmentIsNamedInTheError() {
        Map<String, String> env = Map.of(Logger.LOG_DIR_ENV, dir.toString(), Logger.LOG_FORMAT_ENV, "stdout,tensorbord");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Logger.configure(null, null, env));
        assertEquals("OPENAI_LOG_FORMAT=stdout,tensorbord: unknown log format 'tensorbord'"
                + " (known formats: stdout, log, csv, json, tensorboard)", error.getMessage());
    }

    @Test
    void anUnknownFormatInTheArgumentsIsNamedInTheError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Logger.configure(dir.toString(), List.of("csv", "xml"), Map.of()));
        assertTrue(error.getMessage().startsWith("unknown log format 'xml'"), error.getMessage());
    }

    @Test
    void trainingRunsAreNumberedAndContinuingReusesTheLatest() throws Exception {
        Path tensorboardLog = dir.resolve("tb");
        Files.createDirectories(tensorboardLog.resolve("A2C_7"));
        Files.createDirectories(tensorboardLog.resolve("PPO2_old"));

        Path first = trainOnce(tensorboardLog, true, 1.0f);
        Path second = trainOnce(tensorboardLog, true, 2.0f);
        Path continued = trainOnce(tensorboardLog, false, 3.0f);

        assertEquals(tensorboardLog.resolve("PPO2_1"), first);
        assertEquals(tensorboardLog.resolve("PPO2_2"), second);
        assertEquals(second, continued);
        assertEquals(2, Logger.latestRunId(tensorboardLog, "PPO2"));
        assertEquals(7, Logger.latestRunId(tensorboardLog, "A2C"));
        float firstReward = TensorBoardEvents.read(TensorBoardEvents.eventFile(first)).get(1).scalars().get("rollout/ep_rew_mean");
        assertEquals(1.0f, firstReward);
        try (var files = Files.list(second)) {
            assertEquals(2, files.count(), "the continued run adds an event file next to the first one");
        }
    }

    /** One learn() call's logging with verbose 0: returns the run folder. */
    private static Path trainOnce(Path tensorboardLog, boolean resetNumTimesteps, float reward) {
        try (Logger logger = Logger.forTraining(0, tensorboardLog.toString(), "PPO2", resetNumTimesteps, Map.of())) {
            assertEquals(List.of(LogFormat.TENSORBOARD), formatsOf(logger));
            logger.record("rollout/ep_rew_mean", reward);
            logger.dump(100);
            return logger.getDir();
        }
    }

    @Test
    void continuingWithoutAnyRunStartsRunOne() {
        assertEquals(dir.resolve("SAC_1"), Logger.runDirectory(dir, "SAC", false));
        assertEquals(0, Logger.latestRunId(dir.resolve("missing"), "SAC"));
    }

    @Test
    void verboseSwitchesTheConsoleTableAndDebugMessages() {
        try (Logger silent = Logger.forTraining(0, null, null, true, Map.of());
                Logger tables = Logger.forTraining(1, null, null, true, Map.of());
                Logger debug = Logger.forTraining(2, dir.toString(), "DQN", true, Map.of())) {
            assertEquals(List.of(), formatsOf(silent));
            assertEquals(List.of(LogFormat.STDOUT), formatsOf(tables));
            assertEquals(LogLevel.INFO, tables.getLevel());
            assertEquals(List.of(LogFormat.STDOUT, LogFormat.TENSORBOARD), formatsOf(debug));
            assertEquals(LogLevel.DEBUG, debug.getLevel());
        }
    }

    @Test
    void withoutTensorboardTrainingFollowsTheEnvironment() {
        Map<String, String> env = Map.of(Logger.LOG_DIR_ENV, dir.toString(), Logger.LOG_FORMAT_ENV, "csv");
        try (Logger logger = Logger.forTraining(1, null, null, true, env)) {
            assertEquals(dir, logger.getDir());
            assertEquals(List.of(LogFormat.STDOUT, LogFormat.CSV), formatsOf(logger));
        }
    }
}
