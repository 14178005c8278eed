package org.sparkbaselines.common;

/**
 * A hyperparameter that may be a constant or a schedule over training progress (remaining progress
 * going from 1 to 0), as PPO2's {@code learning_rate} and {@code cliprange}: written as a number,
 * as the zoo's {@code "lin_0.001"} ({@code 0.001 * progress}), or given as any {@link Schedule} in code
 * (such a schedule cannot be saved in a model file; its value at progress 1 is saved instead).
 */
public final class ScheduleValue {
    private final String spec;
    private final Schedule schedule;

    private ScheduleValue(String spec, Schedule schedule) {
        this.spec = spec;
        this.schedule = schedule;
    }

    /** A constant. */
    public static ScheduleValue of(double value) {
        return new ScheduleValue(Double.toString(value), Schedules.constant(value));
    }

    /** From a config value: a number, a numeric string or {@code "lin_<v>"}. */
    public static ScheduleValue parse(Object value) {
        if (value instanceof ScheduleValue s) {
            return s;
        }
        if (value instanceof Schedule s) {
            return of(s);
        }
        Schedule schedule = Schedules.getScheduleFn(value);
        return new ScheduleValue(value.toString().trim(), schedule);
    }

    /** A schedule given in code. */
    public static ScheduleValue of(Schedule schedule) {
        return new ScheduleValue(null, schedule);
    }

    /** The value at remaining progress {@code progress} (1 at the start of training, 0 at the end). */
    public double at(double progress) {
        return schedule.value(progress);
    }

    /** How it is written in configs and model files. */
    public String spec() {
        return spec != null ? spec : Double.toString(schedule.value(1.0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleValue s && spec().equals(s.spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    @Override
    public String toString() {
        return spec();
    }
}
