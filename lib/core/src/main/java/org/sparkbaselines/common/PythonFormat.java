package org.sparkbaselines.common;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Predicate;

/**
 * Python's number-to-text rules, so our tables, CSV cells and monitor files read exactly like the reference's: {@code str(0.1)}
 * is {@code 0.1} (Java says {@code 0.1} too, but {@code 1e-05} where Java says {@code 1.0E-5}), and
 * {@code format(1.0, ".3g")} is {@code 1} where Java's {@code %.3g} gives {@code 1.00}.
 */
public final class PythonFormat {
    /** Python's {@code repr(float)} switches to scientific notation from this decimal exponent on. */
    private static final int REPR_SCIENTIFIC_FROM = 16;
    /** Enough significant digits to round-trip any double. */
    private static final int MAX_DOUBLE_DIGITS = 17;

    private PythonFormat() {
    }

    /** Whether SB3 would format the value as a float ({@code Double} and {@code Float}). */
    public static boolean isFloat(Object value) {
        return value instanceof Double || value instanceof Float;
    }

    /**
     * Python's {@code str(value)}: floats as their shortest round-tripping digits ({@code 22.0},
     * {@code 1e-05}, {@code nan}; a {@code Float} by its own precision, so {@code 0.1f} stays {@code 0.1}),
     * everything else by {@code toString}.
     */
    public static String str(Object value) {
        if (value instanceof Float f) {
            return repr(f, digits -> digits.floatValue() == f);
        }
        if (value instanceof Double d) {
            return repr(d, digits -> digits.doubleValue() == d);
        }
        return String.valueOf(value);
    }

    /** Python's {@code format(value, ".<precision>g")}: that many significant digits, trailing zeros dropped. */
    public static String generalFormat(double value, int precision) {
        if (!Double.isFinite(value) || value == 0) {
            return nonFiniteOrZero(value, "0");
        }
        return render(round(value, precision), precision, false);
    }

    private static String repr(double value, Predicate<BigDecimal> readsBackAsValue) {
        if (!Double.isFinite(value) || value == 0) {
            return nonFiniteOrZero(value, "0.0");
        }
        BigDecimal digits = round(value, 1);
        for (int precision = 2; precision <= MAX_DOUBLE_DIGITS && !readsBackAsValue.test(digits); precision++) {
            digits = round(value, precision);
        }
        return render(digits, REPR_SCIENTIFIC_FROM, true);
    }

    private static String nonFiniteOrZero(double value, String zero) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        // 1 / -0.0 is -Infinity: Python keeps the sign of a negative zero.
        return (1 / value < 0 ? "-" : "") + zero;
    }

    private static BigDecimal round(double value, int significantDigits) {
        // new BigDecimal(double) is exact, so HALF_EVEN rounds the true binary value as Python does.
        return new BigDecimal(value).round(new MathContext(significantDigits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Fixed notation for decimal exponents in [-4, scientificFrom), else {@code 1.5e-05} / {@code 1e+16}. */
    private static String render(BigDecimal digits, int scientificFrom, boolean keepPointZero) {
        int exponent = digits.precision() - digits.scale() - 1;
        if (exponent >= -4 && exponent < scientificFrom) {
            String plain = digits.toPlainString();
            return keepPointZero && digits.scale() <= 0 ? plain + ".0" : plain;
        }
        String mantissa = digits.movePointLeft(exponent).toPlainString();
        return mantissa + (exponent < 0 ? "e-" : "e+") + String.format("%02d", Math.abs(exponent));
    }
}
