package org.sparkbaselines.jobs;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.verify.RecordedTrajectories;
import org.sparkbaselines.env.verify.ReplayReport;
import org.sparkbaselines.env.verify.TrajectoryReplayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sb env-verify}: replays recorded trajectories of an original env against ours and reports
 * the largest deviations; exits 1 on any mismatch. How users check a port of a Python env.
 */
@Command(name = "env-verify", mixinStandardHelpOptions = true,
        description = "Replay recorded trajectories (gym-trajectories JSON format) against a registered env; exit 1 on any mismatch.")
final class EnvVerifyCommand implements Callable<Integer> {

    @Option(names = "--env", required = true, description = "Registered env id to verify, e.g. CartPole-v1.")
    String envId;

    @Option(names = "--trajectories", required = true, description = "Recorded trajectory file (JSON).")
    Path trajectories;

    @Option(names = "--rtol", defaultValue = "" + TrajectoryReplayer.DEFAULT_RELATIVE_TOLERANCE,
            description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    double relativeTolerance;

    @Option(names = "--atol", defaultValue = "" + TrajectoryReplayer.DEFAULT_ABSOLUTE_TOLERANCE,
            description = "Absolute tolerance floor (default: ${DEFAULT-VALUE}).")
    double absoluteTolerance;

    @Override
    public Integer call() throws NoSuchFileException {
        CommandInputs.requireEnv(envId);
        RecordedTrajectories recorded = RecordedTrajectories.read(CommandInputs.requireExists(trajectories));
        if (!recorded.envId().equals(envId)) {
            // Replaying another env's states fails on every step, which reads like a broken port.
            throw new IllegalArgumentException(trajectories + " records env_id " + recorded.envId() + ", not --env " + envId
                    + ": pass --env " + recorded.envId() + " or the trajectories of " + envId);
        }
        ReplayReport report = new TrajectoryReplayer(relativeTolerance, absoluteTolerance).replay(() -> Envs.make(envId), recorded);
        System.out.print(report.format());
        return report.ok() ? 0 : 1;
    }
}
