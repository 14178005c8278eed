package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PairedWorkTest {

    @Test
    void bothHalvesRunAndTheirWritesAreVisibleAfterJoin() {
        long[] sums = new long[2];
        Runnable second = () -> sums[1] = sum(1_000_000);
        for (int round = 0; round < 2_000; round++) {
            sums[0] = 0;
            sums[1] = 0;
            boolean forked = PairedWork.fork(second);
            try {
                sums[0] = sum(1_000);
            } finally {
                PairedWork.join(second, forked);
            }
            assertEquals(sum(1_000), sums[0]);
            assertEquals(sum(1_000_000), sums[1], "round " + round);
        }
    }

    @Test
    void aFailureOnEitherSideReachesTheCaller() {
        RuntimeException boom = new IllegalStateException("second half failed");
        Runnable failing = () -> {
            throw boom;
        };
        for (int round = 0; round < 200; round++) {
            boolean forked = PairedWork.fork(failing);
            RuntimeException thrown = assertThrows(IllegalStateException.class, () -> PairedWork.join(failing, forked));
            assertSame(boom, thrown);
        }
        // The helper is still usable afterwards.
        AtomicInteger runs = new AtomicInteger();
        Runnable counting = runs::incrementAndGet;
        boolean forked = PairedWork.fork(counting);
        PairedWork.join(counting, forked);
        assertEquals(1, runs.get());
    }

    @Test
    void aSecondCallerWhileTheHelperIsOwnedRunsBothHalvesItself() throws Exception {
        CountDownLatch ownerForked = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        AtomicReference<Thread> otherRanOn = new AtomicReference<>();
        Runnable ownerSecond = () -> { };
        boolean forked = PairedWork.fork(ownerSecond);
        try {
            ownerForked.countDown();
            Thread other = new Thread(() -> {
                Runnable second = () -> otherRanOn.set(Thread.currentThread());
                boolean otherForked = PairedWork.fork(second);
                assertFalse(otherForked && PairedWork.enabled(), "the helper has an owner");
                PairedWork.join(second, otherForked);
                otherDone.countDown();
            });
            other.start();
            assertTrue(otherDone.await(10, java.util.concurrent.TimeUnit.SECONDS));
            assertSame(other, otherRanOn.get());
        } finally {
            PairedWork.join(ownerSecond, forked);
        }
    }

    private static long sum(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += i;
        }
        return s;
    }
}
