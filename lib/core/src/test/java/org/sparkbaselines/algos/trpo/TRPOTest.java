package org.sparkbaselines.algos.trpo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TRPO's line search (the reference's MPI rules and save/load: {@code MpiStyleAlgorithmsTest}). */
class TRPOTest {

    /** A one-parameter problem: gain {@code g(theta)}, KL {@code theta^2}; records the points tried. */
    private static double search(double fullStep, double maxKl, java.util.function.DoubleUnaryOperator gain, List<Double> tried) {
        return TRPO.lineSearch(new double[] {0}, new double[] {fullStep}, 0, maxKl, theta -> {
            tried.add(theta[0]);
            return new double[] {gain.applyAsDouble(theta[0]), theta[0] * theta[0]};
        });
    }

    @Test
    void theLineSearchHalvesUntilTheKlIsWithinOneAndAHalfTimesTheBound() {
        List<Double> tried = new ArrayList<>();
        // KL at 8, 4, 2, 1: 64, 16, 4, 1; the bound 1 admits up to 1.5.
        assertEquals(0.125, search(8, 1, theta -> theta, tried));
        assertEquals(List.of(8.0, 4.0, 2.0, 1.0), tried);
        tried.clear();
        // 1.2^2 = 1.44 <= 1.5: the full step stands.
        assertEquals(1.0, search(1.2, 1, theta -> theta, tried));
        assertEquals(List.of(1.2), tried);
    }

    @Test
    void theLineSearchRejectsWorseGainsAndNonFiniteValuesAndGivesUpAfterTenHalvings() {
        List<Double> tried = new ArrayList<>();
        assertEquals(0.0, search(1, 10, theta -> -theta, tried), "the gain never improves");
        assertEquals(10, tried.size());
        tried.clear();
        assertEquals(0.25, search(1, 10, theta -> theta > 0.3 ? Double.NaN : theta, tried), "NaN above 0.3");
        assertEquals(List.of(1.0, 0.5, 0.25), tried);
        tried.clear();
        assertEquals(0.5, search(1, 10, theta -> theta > 0.6 ? Double.POSITIVE_INFINITY : theta, tried), "infinite above 0.6");
    }
}
