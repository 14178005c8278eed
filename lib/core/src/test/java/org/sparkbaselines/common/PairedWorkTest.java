package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whether a wait for the helper counts as a stall is decided by {@link PairedWork#stallClock}, which
 * these tests replace: no outcome depends on how fast the machine is or how the threads are scheduled.
 */
// Only a guard against a hung build, far above any run on a loaded machine; no test measures time.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PairedWorkTest {
    /** Every wait for the helper takes no time. */
    private static final LongSupplier NO_WAIT_STALLS = () -> 0L;

    private LongSupplier realClock;

    @BeforeEach
    void noWaitStallsUnlessATestSaysSo() {
        realClock = PairedWork.stallClock;
        PairedWork.stallClock = NO_WAIT_STALLS;
        PairedWork.endBackOff();
    }

    @AfterEach
    void restoreTheRealClock() {
        PairedWork.stallClock = realClock;
    }

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
    void aSecondCallerWhileTheHelperIsOwnedRunsBothHalvesItself() throws InterruptedException {
        assumeTrue(PairedWork.enabled(), "needs two cores");
        Runnable ownerSecond = () -> { };
        declineOffersUntilOneIsAccepted(ownerSecond);
        AtomicBoolean otherForked = new AtomicBoolean();
        AtomicReference<Thread> otherRanOn = new AtomicReference<>();
        Thread other = new Thread(() -> {
            Runnable second = () -> otherRanOn.set(Thread.currentThread());
            boolean forked = PairedWork.fork(second);
            otherForked.set(forked);
            PairedWork.join(second, forked);
        });
        try {
            other.start();
            other.join();
        } finally {
            PairedWork.join(ownerSecond, true);
        }
        assertFalse(otherForked.get(), "the helper has an owner");
        assertSame(other, otherRanOn.get());
    }

    @Test
    void eachStallInARowDeclinesOffersForTwiceAsLongUpToTheCap() throws InterruptedException {
        assumeTrue(PairedWork.enabled(), "needs two cores");
        offersDeclinedBeforeTheHelperRunsWork(); // past any back-off an earlier test left; this wait is no stall
        PairedWork.stallClock = everyWaitStalls();
        assertEquals(0, offersDeclinedBeforeTheHelperRunsWork());
        for (long backoff = PairedWork.MIN_BACKOFF_NANOS; backoff <= PairedWork.MAX_BACKOFF_NANOS; backoff *= 2) {
            assertEquals(declinedOver(backoff), offersDeclinedBeforeTheHelperRunsWork());
        }
        assertEquals(declinedOver(PairedWork.MAX_BACKOFF_NANOS), offersDeclinedBeforeTheHelperRunsWork());
    }

    @Test
    void aWaitThatIsNoStallEndsTheBackOffDoubling() throws InterruptedException {
        assumeTrue(PairedWork.enabled(), "needs two cores");
        offersDeclinedBeforeTheHelperRunsWork();
        PairedWork.stallClock = everyWaitStalls();
        offersDeclinedBeforeTheHelperRunsWork();
        assertEquals(declinedOver(PairedWork.MIN_BACKOFF_NANOS), offersDeclinedBeforeTheHelperRunsWork());

        // A clock that stands still from here: the next wait is no stall, and the back-off already running never ends
        // on its own, so the test moves the clock past it.
        AtomicLong now = new AtomicLong(PairedWork.stallClock.getAsLong());
        PairedWork.stallClock = now::get;
        assertFalse(PairedWork.fork(() -> { }), "still backing off");
        now.addAndGet(2 * PairedWork.MIN_BACKOFF_NANOS);
        assertEquals(0, offersDeclinedBeforeTheHelperRunsWork());

        PairedWork.stallClock = everyWaitStalls();
        offersDeclinedBeforeTheHelperRunsWork();
        // Back to the first stall's back-off, not double the last one.
        assertEquals(declinedOver(PairedWork.MIN_BACKOFF_NANOS), offersDeclinedBeforeTheHelperRunsWork());
    }

    /**
     * How many offers a back-off of {@code nanos} declines under {@link #everyWaitStalls()}: the clock advances at each
     * reading, and each declined offer reads it once.
     */
    private static long declinedOver(long nanos) {
        long step = PairedWork.STALL_NANOS + 1;
        return (nanos + step - 1) / step - 1;
    }

    /** A clock that advances past the stall threshold at each reading, so every wait for the helper stalls. */
    private static LongSupplier everyWaitStalls() {
        AtomicLong now = new AtomicLong();
        return () -> now.addAndGet(PairedWork.STALL_NANOS + 1);
    }

    /**
     * Offers fresh work until the helper is given some, and lets the helper start it before joining, so
     * the join is a wait for the helper that the stall clock judges (work the caller takes back is not).
     *
     * @return how many offers were declined before that one
     */
    private static int offersDeclinedBeforeTheHelperRunsWork() throws InterruptedException {
        for (int declined = 0; ; declined++) {
            CountDownLatch helperStarted = new CountDownLatch(1);
            Runnable work = helperStarted::countDown;
            boolean forked = PairedWork.fork(work);
            try {
                if (forked) {
                    helperStarted.await();
                    return declined;
                }
            } finally {
                PairedWork.join(work, forked);
            }
        }
    }

    /** Offers {@code work} until the helper accepts it: a back-off an earlier test left declines some. */
    private static void declineOffersUntilOneIsAccepted(Runnable work) {
        while (!PairedWork.fork(work)) {
            PairedWork.join(work, false);
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
