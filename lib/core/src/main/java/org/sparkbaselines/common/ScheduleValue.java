package org.sparkbaselines.common;

/**
 * A hyperparameter that may be a constant or a schedule over training progress (remaining progress
 * going from 1 to 0), as PPO2's {@code learning_rate} and {@code cliprange}: written as a number,
 * as the zoo's {@code "lin_0.001"} ({@code 0.001 * progress}), or given as any {@link Schedule} in code.
 * A schedule given in code has no written form: a model file cannot hold it, and saving says so.
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

    /** Whether it has a written form ({@link #spec()}): false for a {@link Schedule} given in code. */
    public boolean isWritable() {
        return spec != null;
    }

    /**
     * How it is written in configs and model files.
     *
     * @throws IllegalStateException for a schedule given in code, which has no written form
     */
    public String spec() {
        if (spec == null) {
            throw new IllegalStateException("a Schedule given in code has no written form; give a number or \"lin_<number>\"");
        }
        return spec;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScheduleValue s)) {
            return false;
        }
        return spec != null ? spec.equals(s.spec) : schedule == s.schedule;
    }

    @Override
    public int hashCode() {
        return spec != null ? spec.hashCode() : System.identityHashCode(schedule);
    }

    @Override
    public String toString() {
        return spec != null ? spec : "<schedule given in code>";
    }
}
