package org.sparkbaselines.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * What reading a hostile file may cost: at most {@link #BYTES} of heap allocated by the reading thread,
 * measured (with {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) rather than left to
 * {@code -Xmx}, which the test JVM sets far higher.
 */
public final class HeapBudget {
    /** The most heap one hostile file may cost. */
    public static final long BYTES = 256L << 20;

    private HeapBudget() {
    }

    /**
     * Runs {@code code} and asserts the current thread allocated at most {@link #BYTES} meanwhile; prints the
     * figure, for reports.
     *
     * @param what names the case in the assertion message and the printed line
     * @return what {@code code} returned
     */
    public static <T> T assertWithin(String what, ThrowingSupplier<T> code) throws Throwable {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        T result = code.get();
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        System.out.printf("heap allocated by %s: %.1f MB%n", what, allocated / 1e6);
        assertTrue(allocated <= BYTES, what + " allocated " + allocated + " bytes, over the budget of " + BYTES);
        return result;
    }
}
