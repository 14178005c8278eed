package org.sparkbaselines.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The reference's schedules ({@code stable_baselines.common.schedules}) and the learning-rate helper.
 *
 * <ul>
 *   <li>{@link #constant(double)}: {@code ConstantSchedule(value)}.</li>
 *   <li>{@link #linear(double, double, double)}: {@code LinearSchedule(schedule_timesteps, final_p, initial_p=1.0)}
 *       (note the reference's argument order: final before initial).</li>
 *   <li>{@link #piecewise(double[][], Interpolation, Double)}: {@code PiecewiseSchedule(endpoints,
 *       interpolation=linear_interpolation, outside_value=None)}.</li>
 *   <li>{@link #getScheduleFn(Object)}: {@code get_schedule_fn}: a number becomes a constant, a
 *       schedule stays itself, and the zoo's strings {@code "lin_0.001"} become {@code 0.001 * progress}.</li>
 *   <li>The legacy progress functions of A2C/ACER/ACKTR's {@code lr_schedule} and {@link Scheduler}.</li>
 * </ul>
 */
public final class Schedules {
    /** The five {@code lr_schedule} names and their progress functions ({@code SCHEDULES} in the reference). */
    public static final Map<String, DoubleUnaryOperator> PROGRESS_FUNCTIONS = Map.of(
            "constant", p -> 1.0,
            "linear", Schedules::linearProgress,
            "middle_drop", Schedules::middleDrop,
            "double_linear_con", Schedules::doubleLinearCon,
            "double_middle_drop", Schedules::doubleMiddleDrop);

    private Schedules() {
    }

    /** How a piecewise schedule blends two endpoint values, {@code alpha} in [0, 1]. */
    @FunctionalInterface
    public interface Interpolation {
        double interpolate(double left, double right, double alpha);
    }

    /** {@code left + alpha * (right - left)}: the reference's {@code linear_interpolation}. */
    public static double linearInterpolation(double left, double right, double alpha) {
        return left + alpha * (right - left);
    }

    /** The same value at every time. */
    public static Schedule constant(double value) {
        return t -> value;
    }

    /** The reference's {@code constfn(val)}. */
    public static Schedule constfn(double value) {
        return constant(value);
    }

    /** Interpolates {@code initialP} to {@code finalP} over {@code scheduleTimesteps}, then stays at {@code finalP}. */
    public static Schedule linear(double scheduleTimesteps, double finalP, double initialP) {
        if (scheduleTimesteps <= 0) {
            throw new IllegalArgumentException("LinearSchedule needs scheduleTimesteps > 0, got " + scheduleTimesteps);
        }
        return t -> initialP + Math.min(t / scheduleTimesteps, 1.0) * (finalP - initialP);
    }

    /** {@code linear(scheduleTimesteps, finalP, 1.0)}. */
    public static Schedule linear(double scheduleTimesteps, double finalP) {
        return linear(scheduleTimesteps, finalP, 1.0);
    }

    /**
     * Piecewise schedule over {@code endpoints = {{t0, v0}, {t1, v1}, ...}} sorted by t. Between endpoints
     * the values are interpolated; outside them {@code outsideValue} is returned, or, when it is null,
     * the query is an error (the reference asserts).
     */
    public static Schedule piecewise(double[][] endpoints, Interpolation interpolation, Double outsideValue) {
        double[][] points = Arrays.stream(endpoints).map(double[]::clone).toArray(double[][]::new);
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != 2) {
                throw new IllegalArgumentException("piecewise endpoint " + i + " must be (t, value), got " + Arrays.toString(points[i]));
            }
            if (i > 0 && points[i][0] < points[i - 1][0]) {
                throw new IllegalArgumentException("piecewise endpoints must be sorted by t; " + points[i][0] + " follows " + points[i - 1][0]);
            }
        }
        Interpolation interp = interpolation == null ? Schedules::linearInterpolation : interpolation;
        return t -> {
            for (int i = 0; i + 1 < points.length; i++) {
                double lt = points[i][0];
                double rt = points[i + 1][0];
                if (lt <= t && t < rt) {
                    return interp.interpolate(points[i][1], points[i + 1][1], (t - lt) / (rt - lt));
                }
            }
            if (outsideValue == null) {
                throw new IllegalArgumentException("piecewise schedule queried at " + t + ", outside its endpoints, and has no outside value");
            }
            return outsideValue;
        };
    }

    /** Piecewise with linear interpolation. */
    public static Schedule piecewise(double[][] endpoints, Double outsideValue) {
        return piecewise(endpoints, null, outsideValue);
    }

    /**
     * The learning-rate helper ({@code get_schedule_fn}): a {@link Number} becomes a constant schedule, a
     * {@link Schedule} is returned as is, and a string is a number or the zoo's {@code lin_<v>}
     * ({@code v * progress}, progress going from 1 to 0). Anything else is an error naming it.
     */
    public static Schedule getScheduleFn(Object value) {
        if (value instanceof Schedule s) {
            return s;
        }
        if (value instanceof Number n) {
            return constant(n.doubleValue());
        }
        if (value instanceof String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("lin_")) {
                    double initial = Double.parseDouble(v.substring(4));
                    return progress -> progress * initial;
                }
                return constant(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("schedule '" + s + "' is neither a number nor lin_<number>");
            }
        }
        throw new IllegalArgumentException("cannot make a schedule from " + value + " (" + (value == null ? "null" : value.getClass().getSimpleName())
                + "); give a number, a Schedule or \"lin_<number>\"");
    }

    /** {@code 1 - p}. */
    public static double linearProgress(double p) {
        return 1 - p;
    }

    /** {@code 1 - p} while that is at least 0.75, then 0.075. */
    public static double middleDrop(double p) {
        double eps = 0.75;
        return 1 - p < eps ? eps * 0.1 : 1 - p;
    }

    /** With {@code p := 2p}: {@code 1 - p} while at least 0.125, then 0.125. */
    public static double doubleLinearCon(double p) {
        double q = p * 2;
        double eps = 0.125;
        return 1 - q < eps ? eps : 1 - q;
    }

    /** {@code 1 - p} while at least 0.75; 0.075 while at least 0.25; then 0.125 (the source's values, see the checklist). */
    public static double doubleMiddleDrop(double p) {
        double eps1 = 0.75;
        double eps2 = 0.25;
        if (1 - p < eps1) {
            return 1 - p < eps2 ? eps2 * 0.5 : eps1 * 0.1;
        }
        return 1 - p;
    }

    /** The known {@code lr_schedule} names, for error messages. */
    static List<String> progressFunctionNames() {
        List<String> names = new ArrayList<>(PROGRESS_FUNCTIONS.keySet());
        names.sort(null);
        return names;
    }
}
