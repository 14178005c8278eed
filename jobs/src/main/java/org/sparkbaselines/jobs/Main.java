package org.sparkbaselines.jobs;

import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sb} command line: one subcommand per job. */
@Command(name = "sb", mixinStandardHelpOptions = true, version = "Spark Baselines 0.1.0",
        description = "Stable Baselines on the JVM: train, evaluate and verify RL agents and environments.",
        subcommands = {TrainCommand.class, GailCommand.class, EnjoyCommand.class, EvaluateCommand.class, EnvVerifyCommand.class, EnvsCommand.class,
            PretrainCommand.class, GenerateExpertCommand.class, DatasetCommand.class, ImportSb2Command.class, CommandLine.HelpCommand.class})
public final class Main {

    private Main() {
    }

    /** Runs a command line and returns its exit code (0 success, 1 failure or mismatch, 2 bad usage). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + describe(e)));
            return 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * The error line of a failed command: its message's first line (Spark and Delta messages go on with
     * advice and plans), or the exception's name when it has none; a missing file is named as such.
     */
    private static String describe(Throwable e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile() + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")");
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.strip().lines().findFirst().orElseThrow();
    }
}
