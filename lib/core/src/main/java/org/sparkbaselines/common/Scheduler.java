package org.sparkbaselines.common;

import java.util.function.DoubleUnaryOperator;

/**
 * The reference's {@code Scheduler(initial_value, n_values, schedule)} used by A2C, ACER and ACKTR:
 * {@link #value()} returns {@code initialValue * schedule(step / nValues)} and advances the step.
 */
public final class Scheduler {
    private final double initialValue;
    private final double nValues;
    private final DoubleUnaryOperator schedule;
    private long step;

    /** @param schedule one of {@link Schedules#PROGRESS_FUNCTIONS}' names */
    public Scheduler(double initialValue, double nValues, String schedule) {
        this.schedule = Schedules.PROGRESS_FUNCTIONS.get(schedule);
        if (this.schedule == null) {
            throw new IllegalArgumentException("unknown lr_schedule '" + schedule + "'; known: " + Schedules.progressFunctionNames());
        }
        if (nValues <= 0) {
            throw new IllegalArgumentException("Scheduler needs nValues > 0, got " + nValues);
        }
        this.initialValue = initialValue;
        this.nValues = nValues;
    }

    /** The current value; advances one step. */
    public double value() {
        return valueSteps(step++);
    }

    /** The value at {@code steps}, without advancing. */
    public double valueSteps(double steps) {
        return initialValue * schedule.applyAsDouble(steps / nValues);
    }
}
