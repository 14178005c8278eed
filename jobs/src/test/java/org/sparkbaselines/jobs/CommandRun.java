package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A command line run in this JVM through {@link Main#run}: its exit code and what it printed. */
record CommandRun(int exitCode, String stdout, String stderr) {

    /** Everything printed, standard output first. */
    String output() {
        return stdout + stderr;
    }

    /**
     * Asserts that the command failed with {@code exitCode} and reported {@code message} on the first line of
     * its standard error, with no stack trace; an exit 1 prints that one line and nothing else there (a usage
     * error, exit 2, is followed by picocli's usage text).
     */
    void assertFailed(int exitCode, String message) {
        List<String> errorLines = stderr.strip().lines().toList();
        assertEquals(exitCode, this.exitCode, this::toString);
        assertFalse(errorLines.isEmpty(), this::toString);
        assertTrue(errorLines.get(0).contains(message), () -> "expected '" + message + "' in the first line of\n" + stderr);
        assertFalse(stderr.contains("\tat "), () -> "a stack trace:\n" + stderr);
        if (exitCode == 1) {
            assertEquals(1, errorLines.size(), () -> "more than one error line:\n" + stderr);
        }
    }

    /** Runs {@code args} with {@code System.out} and {@code System.err} captured. */
    static CommandRun of(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
