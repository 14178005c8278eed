package org.sparkbaselines.env.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.HasState;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.env.verify.ReplayReport.Mismatch;
import org.sparkbaselines.env.verify.ReplayReport.TrajectoryResult;

/**
 * Replays recorded reference trajectories ({@link RecordedTrajectories}) on our envs and reports
 * where they depart from the recording: {@code bin/sb env-verify --env ID --trajectories FILE}.
 *
 * <pre>{@code
 * ReplayReport report = new TrajectoryReplayer().replay("CartPole-v1", Path.of("CartPole-v1.json"));
 * System.out.print(report.format());
 * if (!report.ok()) { ... }
 * }</pre>
 *
 * <p>For each trajectory the replayer makes a fresh env, calls {@code reset(0L)}, sets the recorded
 * initial state on {@link Env#unwrapped()} (which must implement {@link HasState}), compares the
 * initial observation, then takes every recorded action and compares observation, reward,
 * {@code terminated} and {@code truncated} (the last from the registry's time limit). Numbers match
 * within {@code max(absoluteTolerance, relativeTolerance * |recorded|)}; flags must be equal. A
 * mismatch does not stop the replay: every step of every trajectory is compared (unless the env
 * throws), and the report gives per trajectory the largest deviations and the first mismatch.
 */
public final class TrajectoryReplayer {
    /**
     * Default relative tolerance: about 16 float32 ulps. The recordings hold float32 observations of
     * float64 states; the classic-control envs here reproduce all of them bit for bit and the
     * float64 rewards to 5e-13, so this leaves room for a last-bit libm difference flipping a float32
     * rounding, yet catches a misplaced precision boundary (storing MountainCarContinuous's reset
     * state as float32 drifts 6e-6 within an episode).
     */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-6;
    /** Default absolute floor of the tolerance, for values near zero. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-6;

    private final double relativeTolerance;
    private final double absoluteTolerance;

    /** A replayer with the default tolerances. */
    public TrajectoryReplayer() {
        this(DEFAULT_RELATIVE_TOLERANCE, DEFAULT_ABSOLUTE_TOLERANCE);
    }

    /** A replayer accepting deviations up to {@code max(absoluteTolerance, relativeTolerance * |recorded|)}. */
    public TrajectoryReplayer(double relativeTolerance, double absoluteTolerance) {
        if (!(relativeTolerance >= 0) || !(absoluteTolerance >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got relative " + relativeTolerance
                    + " and absolute " + absoluteTolerance);
        }
        this.relativeTolerance = relativeTolerance;
        this.absoluteTolerance = absoluteTolerance;
    }

    /**
     * Reads {@code file} and replays it on {@code Envs.make(envId)}. A malformed file or an env id
     * that is not registered is an {@link IllegalArgumentException}.
     */
    public ReplayReport replay(String envId, Path file) {
        Envs.spec(envId); // an unknown id fails before the file is read
        return replay(() -> Envs.make(envId), RecordedTrajectories.read(file));
    }

    /**
     * Replays {@code recorded} on envs from {@code envFactory}, one fresh env per trajectory. The env
     * must apply the recording's time limit itself ({@link Envs#make} does).
     *
     * @throws IllegalArgumentException if the env under its wrappers does not implement {@link HasState}
     */
    public ReplayReport replay(Supplier<? extends Env> envFactory, RecordedTrajectories recorded) {
        List<TrajectoryResult> results = new ArrayList<>();
        String envName = recorded.envId();
        for (int i = 0; i < recorded.trajectories().size(); i++) {
            try (Env env = envFactory.get()) {
                if (i == 0) {
                    envName = env.specId() != null ? env.specId() : env.unwrapped().getClass().getSimpleName();
                }
                results.add(replayOne(env, i, recorded.trajectories().get(i)));
            }
        }
        return new ReplayReport(envName, recorded.source(), relativeTolerance, absoluteTolerance, results);
    }

    private TrajectoryResult replayOne(Env env, int index, RecordedTrajectories.Trajectory trajectory) {
        env.reset(0L);
        if (!(env.unwrapped() instanceof HasState stateful)) {
            throw new IllegalArgumentException(env.unwrapped().getClass().getName()
                    + " does not implement HasState, so a recorded state cannot be set on it");
        }
        List<RecordedTrajectories.Step> steps = trajectory.steps();
        Comparison comparison = new Comparison();
        try {
            comparison.obs(stateful.setState(trajectory.initialState().clone()), trajectory.initialObs());
        } catch (RuntimeException e) {
            comparison.fail("setState(initial_state) threw " + e);
            return comparison.result(index, 0, steps.size());
        }
        comparison.endStep(0);
        int replayed = 0;
        for (RecordedTrajectories.Step recorded : steps) {
            StepResult actual;
            try {
                // A copy: an env may clip the action in place, the recording must stay as read.
                actual = env.step(recorded.action().clone());
            } catch (RuntimeException e) {
                comparison.fail("step() threw " + e);
                comparison.endStep(replayed + 1);
                break;
            }
            replayed++;
            comparison.obs(actual.obs(), recorded.obs());
            comparison.reward(actual.reward(), recorded.reward());
            comparison.flag("terminated", actual.terminated(), recorded.terminated());
            comparison.flag("truncated", actual.truncated(), recorded.truncated());
            comparison.endStep(replayed);
        }
        return comparison.result(index, replayed, steps.size());
    }

    /** Accumulates one trajectory's deviations; the first difference found in a step describes it. */
    private final class Comparison {
        private double maxObsDeviation;
        private double maxRewardDeviation;
        private int mismatchedSteps;
        private Mismatch firstMismatch;
        private String stepProblem;

        void obs(float[] actual, double[] expected) {
            if (actual.length != expected.length) {
                fail("obs has " + actual.length + " values, recorded " + expected.length);
                return;
            }
            for (int i = 0; i < expected.length; i++) {
                double deviation = Math.abs(actual[i] - expected[i]);
                maxObsDeviation = Math.max(maxObsDeviation, deviation);
                if (!withinTolerance(deviation, expected[i])) {
                    fail(String.format(Locale.ROOT, "obs[%d] = %s, recorded %s (deviation %.3e)", i, actual[i], expected[i], deviation));
                }
            }
        }

        void reward(double actual, double expected) {
            double deviation = Math.abs(actual - expected);
            maxRewardDeviation = Math.max(maxRewardDeviation, deviation);
            if (!withinTolerance(deviation, expected)) {
                fail(String.format(Locale.ROOT, "reward = %s, recorded %s (deviation %.3e)", actual, expected, deviation));
            }
        }

        void flag(String name, boolean actual, boolean expected) {
            if (actual != expected) {
                fail(name + " = " + actual + ", recorded " + expected);
            }
        }

        void fail(String problem) {
            if (stepProblem == null) {
                stepProblem = problem;
            }
        }

        void endStep(int step) {
            if (stepProblem != null) {
                mismatchedSteps++;
                if (firstMismatch == null) {
                    firstMismatch = new Mismatch(step, stepProblem);
                }
                stepProblem = null;
            }
        }

        TrajectoryResult result(int index, int replayed, int recordedSteps) {
            endStep(replayed);
            return new TrajectoryResult(index, replayed, recordedSteps, maxObsDeviation, maxRewardDeviation,
                    mismatchedSteps, firstMismatch);
        }

        private boolean withinTolerance(double deviation, double expected) {
            // Written so that NaN fails.
            return deviation <= Math.max(absoluteTolerance, relativeTolerance * Math.abs(expected));
        }
    }
}
