package org.sparkbaselines.nn.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Initializers;

class VariablesTest {
    @Test
    void polyakAveragingMovesTheTargetByTauAndCopyMakesItEqual() {
        Variable source = new Variable("w", 2, 3);
        Variable target = new Variable("target/w", 2, 3);
        for (int e = 0; e < 6; e++) {
            source.values()[e] = e;
            target.values()[e] = 10 - e;
        }
        Variables.polyak(List.of(source), List.of(target), 0.25f);
        for (int e = 0; e < 6; e++) {
            assertEquals(0.75 * (10 - e) + 0.25 * e, target.values()[e], 1e-6);
        }
        Variables.copy(List.of(source), List.of(target));
        assertArrayEquals(source.values(), target.values());
        assertThrows(IllegalArgumentException.class, () -> Variables.polyak(List.of(source), List.of(new Variable("b", 3, 2)), 0.1f));
        assertThrows(IllegalArgumentException.class, () -> Variables.polyak(List.of(source), List.of(target), 1.5f));
    }

    @Test
    void polyakAveragingAllocatesNothing() {
        List<Variable> source = List.of(new Variable("a", 64, 64), new Variable("b", 1, 64));
        List<Variable> target = List.of(new Variable("ta", 64, 64), new Variable("tb", 1, 64));
        for (int i = 0; i < 20_000; i++) {
            Variables.polyak(source, target, 0.005f);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            Variables.polyak(source, target, 0.005f);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1_000, "allocated " + allocated + " bytes");
    }

    @Test
    void glorotUniformStaysWithinItsLimitAndFillsIt() {
        float[] w = Initializers.glorotUniform(64, 32, new SplittableRandom(1));
        double limit = Math.sqrt(6.0 / 96);
        double max = 0;
        double sumOfSquares = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
            sumOfSquares += v * v;
        }
        assertTrue(max <= limit && max > 0.95 * limit, "max |w| " + max + " against the limit " + limit);
        // A uniform on [-l, l] has variance l^2 / 3 = 2 / (fan_in + fan_out).
        assertEquals(2.0 / 96, sumOfSquares / w.length, 0.1 * 2.0 / 96);
    }
}
