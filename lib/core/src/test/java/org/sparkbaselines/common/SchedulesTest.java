package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void constantAndLinear() {
        assertEquals(0.3, Schedules.constant(0.3).value(1e9));
        Schedule lin = Schedules.linear(100, 0.1, 1.0);
        assertEquals(1.0, lin.value(0), 1e-12);
        assertEquals(0.55, lin.value(50), 1e-12);
        assertEquals(0.1, lin.value(100), 1e-12);
        assertEquals(0.1, lin.value(1000), 1e-12);
        assertEquals(0.5, Schedules.linear(10, 0.0).value(5), 1e-12);
    }

    @Test
    void piecewiseInterpolatesAndGuardsItsRange() {
        Schedule s = Schedules.piecewise(new double[][] {{0, 1.0}, {10, 0.5}, {20, 0.0}}, null);
        assertEquals(1.0, s.value(0), 1e-12);
        assertEquals(0.75, s.value(5), 1e-12);
        assertEquals(0.25, s.value(15), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.value(25));
        assertTrue(e.getMessage().contains("outside its endpoints"));
        assertEquals(-1.0, Schedules.piecewise(new double[][] {{0, 1.0}, {10, 0.5}}, -1.0).value(10));
        Schedule step = Schedules.piecewise(new double[][] {{0, 1.0}, {10, 0.0}}, (l, r, a) -> l, 0.0);
        assertEquals(1.0, step.value(9.9));
        assertThrows(IllegalArgumentException.class, () -> Schedules.piecewise(new double[][] {{5, 1}, {1, 0}}, null));
    }

    @Test
    void scheduleFunctionFromConfigValues() {
        assertEquals(3e-4, Schedules.getScheduleFn(3e-4).value(0.2));
        assertEquals(7.0, Schedules.getScheduleFn(7).value(0.9));
        assertEquals(0.001 * 0.25, Schedules.getScheduleFn("lin_0.001").value(0.25), 1e-15);
        assertEquals(0.5, Schedules.getScheduleFn("0.5").value(0.1));
        Schedule own = t -> 2 * t;
        assertSame(own, Schedules.getScheduleFn(own));
        assertThrows(IllegalArgumentException.class, () -> Schedules.getScheduleFn("cosine"));
        assertThrows(IllegalArgumentException.class, () -> Schedules.getScheduleFn(null));
    }

    @Test
    void legacyProgressFunctionsFollowTheSource() {
        assertEquals(0.9, Schedules.linearProgress(0.1), 1e-12);
        assertEquals(0.8, Schedules.middleDrop(0.2), 1e-12);
        assertEquals(0.075, Schedules.middleDrop(0.5), 1e-12);
        assertEquals(0.6, Schedules.doubleLinearCon(0.2), 1e-12);
        assertEquals(0.125, Schedules.doubleLinearCon(0.45), 1e-12);
        assertEquals(0.9, Schedules.doubleMiddleDrop(0.1), 1e-12);
        assertEquals(0.075, Schedules.doubleMiddleDrop(0.5), 1e-12);
        assertEquals(0.125, Schedules.doubleMiddleDrop(0.8), 1e-12);
    }

    @Test
    void schedulerSteps() {
        Scheduler s = new Scheduler(0.01, 100, "linear");
        assertEquals(0.01, s.value(), 1e-15);
        assertEquals(0.01 * 0.99, s.value(), 1e-15);
        assertEquals(0.01 * 0.5, s.valueSteps(50), 1e-15);
        assertEquals(0.01, new Scheduler(0.01, 100, "constant").valueSteps(99), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Scheduler(0.01, 100, "cosine"));
        assertTrue(e.getMessage().contains("double_middle_drop"), e.getMessage());
    }
}
