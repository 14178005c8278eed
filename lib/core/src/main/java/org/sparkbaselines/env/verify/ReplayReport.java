package org.sparkbaselines.env.verify;

import java.util.List;
import java.util.Locale;

/**
 * What {@link TrajectoryReplayer} found: one {@link TrajectoryResult} per recorded trajectory.
 *
 * <p>Step numbers count {@code step()} calls from 1; step 0 is the initial observation, the one
 * {@code setState(initial_state)} returns.
 *
 * @param envId the env replayed (its registry id when it has one)
 * @param source where the recording came from (the file)
 * @param relativeTolerance allowed deviation relative to the recorded value
 * @param absoluteTolerance allowed deviation however small the recorded value (the floor)
 * @param trajectories the results, in recording order
 */
public record ReplayReport(String envId, String source, double relativeTolerance, double absoluteTolerance,
        List<TrajectoryResult> trajectories) {

    /** Copies the list of results. */
    public ReplayReport {
        trajectories = List.copyOf(trajectories);
    }

    /** Where a replay first departed from the recording. */
    public record Mismatch(int step, String description) {
        @Override
        public String toString() {
            return "step " + step + ": " + description;
        }
    }

    /**
     * The replay of one trajectory.
     *
     * @param index the trajectory's position in the recording, from 0
     * @param stepsReplayed the steps taken (fewer than recorded only if the env threw)
     * @param recordedSteps the steps in the recording
     * @param maxObsDeviation the largest absolute difference of any observation value, the initial one included
     * @param maxRewardDeviation the largest absolute difference of a reward
     * @param mismatchedSteps how many steps (the initial observation counting as step 0) did not match
     * @param firstMismatch the first step that did not match, or null if all did
     */
    public record TrajectoryResult(int index, int stepsReplayed, int recordedSteps, double maxObsDeviation,
            double maxRewardDeviation, int mismatchedSteps, Mismatch firstMismatch) {

        /** Whether every step matched. */
        public boolean ok() {
            return firstMismatch == null;
        }
    }

    /** Whether every trajectory matched at every step. */
    public boolean ok() {
        return trajectories.stream().allMatch(TrajectoryResult::ok);
    }

    /** The largest observation deviation over all trajectories. */
    public double maxObsDeviation() {
        return trajectories.stream().mapToDouble(TrajectoryResult::maxObsDeviation).max().orElse(0);
    }

    /** The largest reward deviation over all trajectories. */
    public double maxRewardDeviation() {
        return trajectories.stream().mapToDouble(TrajectoryResult::maxRewardDeviation).max().orElse(0);
    }

    /** A table with one line per trajectory and a verdict line, for a terminal. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s replayed against %s: %d trajectories, tolerance max(%.1e, %.1e * |recorded|)%n",
                envId, source, trajectories.size(), absoluteTolerance, relativeTolerance));
        out.append(String.format(Locale.ROOT, "%6s %11s %12s %14s  %s%n", "traj", "steps", "max obs dev", "max rew dev", "result"));
        for (TrajectoryResult t : trajectories) {
            String result = t.ok() ? "ok"
                    : "MISMATCH in " + t.mismatchedSteps() + " step(s), first at " + t.firstMismatch();
            out.append(String.format(Locale.ROOT, "%6d %11s %12.3e %14.3e  %s%n", t.index(),
                    t.stepsReplayed() + "/" + t.recordedSteps(), t.maxObsDeviation(), t.maxRewardDeviation(), result));
        }
        long failed = trajectories.stream().filter(t -> !t.ok()).count();
        out.append(failed == 0
                ? "OK: all " + trajectories.size() + " trajectories match"
                : "FAILED: " + failed + " of " + trajectories.size() + " trajectories do not match");
        return out.append(System.lineSeparator()).toString();
    }
}
