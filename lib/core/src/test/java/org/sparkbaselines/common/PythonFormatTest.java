package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what CPython 3.11 prints for the same values. */
class PythonFormatTest {
    @ParameterizedTest(name = "format({0}, \".{1}g\") = {2}")
    @CsvSource({
        "22.4, 3, 22.4",
        "1.0, 3, 1",
        "1234.0, 3, 1.23e+03",
        "0.0001234, 3, 0.000123",
        "0.0003, 3, 0.0003",
        "0.0123456, 3, 0.0123",
        "1e-5, 3, 1e-05",
        "-1.5e-7, 3, -1.5e-07",
        "999.5, 3, 1e+03",
        "2.5, 1, 2",
        "-0.0, 3, -0",
        "NaN, 3, nan",
        "-Infinity, 3, -inf",
    })
    void generalFormatMatchesPython(double value, int precision, String expected) {
        assertEquals(expected, PythonFormat.generalFormat(value, precision));
    }

    @ParameterizedTest(name = "str({0}) = {1}")
    @CsvSource({
        "22.0, 22.0",
        "0.1, 0.1",
        "1e-5, 1e-05",
        "0.0001, 0.0001",
        "1e16, 1e+16",
        "1e15, 1000000000000000.0",
        "123456789.0, 123456789.0",
        "1.5e300, 1.5e+300",
        "0.6666666666666666, 0.6666666666666666",
        "4.9e-324, 5e-324",
        "-0.0, -0.0",
        "NaN, nan",
    })
    void strOfDoubleMatchesPythonRepr(double value, String expected) {
        assertEquals(expected, PythonFormat.str(value));
    }

    @ParameterizedTest(name = "str({0}f) = {1}")
    @CsvSource({"0.1, 0.1", "3.0, 3.0", "1e-7, 1e-07"})
    void strOfFloatUsesFloatPrecision(float value, String expected) {
        assertEquals(expected, PythonFormat.str(value));
    }

    @ParameterizedTest(name = "str({0}L) = {0}")
    @CsvSource({"0", "2048", "-7"})
    void strOfIntegerIsItsDigits(long value) {
        assertEquals(Long.toString(value), PythonFormat.str(value));
    }
}
