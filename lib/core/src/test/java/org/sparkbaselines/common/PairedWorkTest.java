package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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

    @Test
    void aHelperThatStallsIsOfferedNoWorkForAWhile() throws InterruptedException {
        assumeTrue(PairedWork.enabled(), "needs two cores");
        Runnable nothing = () -> { };
        boolean forked = false;
        for (int i = 0; i < 1_000_000 && !forked; i++) { // past any back-off an earlier test left
            forked = PairedWork.fork(nothing);
            PairedWork.join(nothing, forked);
        }
        assertTrue(forked);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean joining = new AtomicBoolean();
        // The stall starts when the caller is about to join, not when the helper takes the work: a
        // caller descheduled for a while before joining (a loaded 2-core CI machine) must still see it.
        Runnable stalling = () -> {
            started.countDown();
            while (!joining.get()) {
                Thread.onSpinWait();
            }
            LockSupport.parkNanos(50 * PairedWork.STALL_NANOS);
        };
        forked = PairedWork.fork(stalling);
        assertTrue(forked);
        assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS), "the helper took the work");
        joining.set(true);
        PairedWork.join(stalling, forked);
        int declined = 0;
        while (!PairedWork.fork(nothing)) {
            PairedWork.join(nothing, false);
            declined++;
        }
        PairedWork.join(nothing, true);
        // 64 offers after a first stall; more if an earlier test's stall doubled the back-off.
        assertTrue(declined >= 64 && Integer.bitCount(declined) == 1, "declined " + declined);
    }

    private static long sum(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += i;
        }
        return s;
    }
}
