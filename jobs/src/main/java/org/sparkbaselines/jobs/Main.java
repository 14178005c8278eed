package org.sparkbaselines.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sb} command line: one subcommand per job. */
@Command(name = "sb", mixinStandardHelpOptions = true, version = "Spark Baselines 0.1.0",
        description = "Stable Baselines on the JVM: train, evaluate and verify RL agents and environments.",
        subcommands = {TrainCommand.class, EnjoyCommand.class, EvaluateCommand.class, EnvVerifyCommand.class, EnvsCommand.class,
            PretrainCommand.class, GenerateExpertCommand.class, DatasetCommand.class, CommandLine.HelpCommand.class})
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

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
