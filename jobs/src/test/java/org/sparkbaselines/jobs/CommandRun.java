package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sparkbaselines.io.HeapBudget;

/**
 * A command line run in this JVM through {@link Main#run}: its exit code, what it printed, and the heap its
 * thread allocated meanwhile (every allocation counted, so an upper bound of what the run held at once).
 */
record CommandRun(int exitCode, String stdout, String stderr, long allocatedBytes) {

    /** Everything printed, standard output first. */
    String output() {
        return stdout + stderr;
    }

    /**
     * Asserts that the command failed with {@code exitCode} and reported {@code message} on the first line of
     * its standard error, with no stack trace; an exit 1 prints that one line and nothing else there (a usage
     * error, exit 2, is followed by picocli's usage text). A command that refuses its input costs at most
     * {@link HeapBudget#BYTES} of heap, whatever the input.
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
        System.out.printf("heap allocated refusing the input: %.1f MB (%s)%n", allocatedBytes / 1e6, errorLines.get(0));
        assertTrue(allocatedBytes <= HeapBudget.BYTES, () -> "refusing the input allocated " + allocatedBytes + " bytes, over the budget of "
                + HeapBudget.BYTES + ": " + errorLines.get(0));
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
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            int code = Main.run(args);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), allocated);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** {@code data/<name>}, found by walking up from the working directory. */
    static Path shippedData(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("data").resolve(name))) {
                return dir.resolve("data").resolve(name);
            }
        }
        throw new IllegalStateException("no data/" + name + " above " + Path.of("").toAbsolutePath());
    }
}
