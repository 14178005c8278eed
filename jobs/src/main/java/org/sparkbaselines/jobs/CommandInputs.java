package org.sparkbaselines.jobs;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.sparkbaselines.env.Envs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of command-line values made before a command does any work, so that a bad value is reported
 * with the option's own name ({@code --episodes}, not the library parameter it feeds) and nothing is
 * half-done.
 */
final class CommandInputs {
    private CommandInputs() {
    }

    /** {@code value} of {@code option}, which must be above 0 when given (null passes); otherwise a usage error naming the option. */
    static void requirePositive(CommandSpec spec, String option, Number value) {
        if (value != null && !(value.doubleValue() > 0)) {
            throw new ParameterException(spec.commandLine(), option + " must be positive, got " + value);
        }
    }

    /** {@code value} of {@code option}, which must not be negative; otherwise a usage error naming the option. */
    static void requireNonNegative(CommandSpec spec, String option, int value) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), option + " must be 0 or more, got " + value);
        }
    }

    /** {@code value} of {@code option}, which must lie strictly between 0 and 1; otherwise a usage error naming the option. */
    static void requireFraction(CommandSpec spec, String option, double value) {
        if (!(value > 0 && value < 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be strictly between 0 and 1, got " + value);
        }
    }

    /** Checks that {@code envId} is registered; otherwise an error listing the registered ids. */
    static void requireEnv(String envId) {
        Envs.spec(envId);
    }

    /**
     * {@code file}, which must exist when given (null passes). A missing one is reported by the command
     * line as {@code no such file: PATH} rather than by whatever reader would have failed on it.
     */
    static Path requireExists(Path file) throws NoSuchFileException {
        if (file != null && !Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return file;
    }

    /**
     * {@code file}, which must be an existing file when given (null passes): missing as in {@link #requireExists},
     * and a directory is refused by name rather than by the reader's bare "Is a directory".
     */
    static Path requireFile(Path file) throws NoSuchFileException {
        requireExists(file);
        if (file != null && Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a model file");
        }
        return file;
    }
}
