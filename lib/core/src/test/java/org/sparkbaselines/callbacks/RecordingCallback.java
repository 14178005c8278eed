package org.sparkbaselines.callbacks;

import java.util.ArrayList;
import java.util.List;

/** Records every hook it sees, with {@code nCalls} and {@code numTimesteps} at each step; optionally stops training at a given call. */
final class RecordingCallback extends BaseCallback {
    final List<String> events = new ArrayList<>();
    final List<Long> stepTimesteps = new ArrayList<>();
    private final long stopAtCall;

    /** Never stops training. */
    RecordingCallback() {
        this(Long.MAX_VALUE);
    }

    /** Asks to stop training at call {@code stopAtCall}. */
    RecordingCallback(long stopAtCall) {
        this.stopAtCall = stopAtCall;
    }

    /** What a recorder sees over {@code rollouts} whole rollouts of {@code stepsPerRollout} steps of {@code nEnvs} envs. */
    static List<String> expectedEvents(int rollouts, int stepsPerRollout, int nEnvs) {
        List<String> expected = new ArrayList<>(List.of("init", "training start"));
        long calls = 0;
        for (int rollout = 0; rollout < rollouts; rollout++) {
            expected.add("rollout start");
            for (int step = 0; step < stepsPerRollout; step++) {
                calls++;
                expected.add(step(calls, calls * nEnvs));
            }
            expected.add("rollout end");
        }
        expected.add("training end");
        return expected;
    }

    static String step(long nCalls, long numTimesteps) {
        return "step " + nCalls + " at " + numTimesteps;
    }

    @Override
    protected void atInit() {
        events.add("init");
    }

    @Override
    protected void atTrainingStart() {
        events.add("training start");
    }

    @Override
    protected void atRolloutStart() {
        events.add("rollout start");
    }

    @Override
    protected boolean atStep() {
        events.add(step(nCalls, numTimesteps));
        stepTimesteps.add(numTimesteps);
        return nCalls < stopAtCall;
    }

    @Override
    protected void atRolloutEnd() {
        events.add("rollout end");
    }

    @Override
    protected void atTrainingEnd() {
        events.add("training end");
    }
}
