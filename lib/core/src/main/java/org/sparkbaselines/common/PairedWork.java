package org.sparkbaselines.common;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs two independent pieces of work at once: the caller runs its own half between {@link #fork}
 * and {@link #join} while one shared helper thread runs the other. Used for the policy and value
 * networks of a training minibatch, whose ~50-100 µs halves are too short for an executor service
 * (a wake-up alone costs about that much).
 *
 * <p>How it avoids the failure mode of a plain hand-off (measured 6x slower on a loaded 2-core
 * machine): the helper stays awake for {@link #SPIN_NANOS} after each piece of work, yielding its
 * core to any other thread that wants it, so back-to-back minibatches find it ready; when it is
 * asleep, busy with another caller, or has not picked the work up by the time the caller finishes
 * its own half, the caller takes the work back and runs it itself. Only work the helper has already
 * started is waited for, and when that wait shows the helper lost its core (another process wants
 * it: without this, paired training ran ~30% slower than unpaired on a loaded machine), the caller
 * stops offering work for a while, twice as long after each stall in a row. The while is a time, not a
 * number of offers: counted in offers, a back-off sized for PPO's 20 µs halves kept TD3, whose halves
 * take milliseconds, on one core for most of a run after the JIT's warm-up stalls.
 *
 * <p>On one core, or with {@code -Dsparkbaselines.pairedWork=false}, both halves run on the caller.
 * Each half must touch state the other does not; results are identical either way, as each half's
 * arithmetic does not depend on the thread that runs it.
 */
public final class PairedWork {
    /**
     * How long the helper stays awake for more work after its last piece, before parking: longer
     * than a typical rollout between two training phases, so it need not be woken for each phase
     * (with 200 µs it parked once per iteration of PPO2's zoo CartPole run, and the caller waited
     * several times longer in total).
     */
    static final long SPIN_NANOS = 2_000_000;
    /**
     * A wait for the helper this long (or half as long as the caller's own half took, when that is longer) means it lost
     * its core: the halves offered take tens of microseconds to a millisecond.
     */
    static final long STALL_NANOS = 300_000;
    static final long MIN_BACKOFF_NANOS = 1_000_000;
    // Capped low: a stall costs a few milliseconds.
    static final long MAX_BACKOFF_NANOS = 16_000_000;
    private static final boolean ENABLED = Runtime.getRuntime().availableProcessors() >= 2
            && !"false".equalsIgnoreCase(System.getProperty("sparkbaselines.pairedWork"));
    private static final AtomicBoolean OWNED = new AtomicBoolean();
    private static final AtomicReference<Runnable> OFFERED = new AtomicReference<>();
    private static volatile long completed;
    /** {@link #completed} when the current owner offered its work (read and written by the owner only). */
    private static long startedBefore;
    /** {@link #stallClock} when the current owner offered its work (owner only). */
    private static long offeredAt;
    // Owner-only state of the stall back-off: until when forks are declined, and how long the next stall costs.
    private static long declineUntil = Long.MIN_VALUE;
    private static long backoffNanos = MIN_BACKOFF_NANOS;
    private static volatile Throwable failure;
    private static volatile boolean parked;
    private static volatile Thread helper;
    /**
     * The time source of the stall check in {@link #join}, read by the owner only: tests replace it to
     * make a wait for the helper look long or short without depending on real time.
     */
    static LongSupplier stallClock = System::nanoTime;

    private PairedWork() {
    }

    /** Whether a second core is used at all. */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * Offers {@code second} to the helper; the caller then runs its own half and must call
     * {@link #join} with the same work and this method's result, in a {@code finally} block.
     *
     * @return whether the work was offered (false: no second core, or the helper serves another caller)
     */
    public static boolean fork(Runnable second) {
        if (!ENABLED || !OWNED.compareAndSet(false, true)) {
            return false;
        }
        if (declineUntil != Long.MIN_VALUE) {
            if (stallClock.getAsLong() < declineUntil) {
                OWNED.set(false);
                return false;
            }
            declineUntil = Long.MIN_VALUE;
        }
        failure = null;
        startedBefore = completed;
        offeredAt = stallClock.getAsLong();
        OFFERED.set(second);
        Thread thread = helper == null ? startHelper() : helper;
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /**
     * Returns once {@code second} has run: here, when it was not offered or the helper has not
     * started it, else after waiting for the helper; an exception it threw on the helper is rethrown.
     */
    public static void join(Runnable second, boolean forked) {
        if (!forked) {
            second.run();
            return;
        }
        try {
            if (OFFERED.compareAndSet(second, null)) {
                second.run();
            } else {
                long start = stallClock.getAsLong();
                awaitCompletion(startedBefore);
                long end = stallClock.getAsLong();
                // Relative to the caller's own half too: two halves of a millisecond each differ by more than the fixed threshold.
                if (end - start > Math.max(STALL_NANOS, (start - offeredAt) / 2)) {
                    declineUntil = end + backoffNanos;
                    backoffNanos = Math.min(2 * backoffNanos, MAX_BACKOFF_NANOS);
                } else {
                    backoffNanos = MIN_BACKOFF_NANOS;
                }
            }
        } finally {
            OWNED.set(false);
        }
    }

    /** Ends any back-off and starts the next at its minimum (for tests, whose clocks differ). */
    static void endBackOff() {
        declineUntil = Long.MIN_VALUE;
        backoffNanos = MIN_BACKOFF_NANOS;
    }

    private static void awaitCompletion(long before) {
        int spins = 0;
        while (completed == before) {
            if (++spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable t = failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private static synchronized Thread startHelper() {
        if (helper == null) {
            Thread thread = new Thread(PairedWork::helperLoop, "sparkbaselines-paired-work");
            thread.setDaemon(true);
            thread.start();
            helper = thread;
        }
        return helper;
    }

    private static void helperLoop() {
        long lastWork = System.nanoTime();
        while (true) {
            Runnable work = OFFERED.get();
            if (work != null && OFFERED.compareAndSet(work, null)) {
                try {
                    work.run();
                } catch (Throwable t) {
                    failure = t;
                }
                completed = completed + 1;
                lastWork = System.nanoTime();
            } else if (System.nanoTime() - lastWork < SPIN_NANOS) {
                // Yielding, not just spinning: whatever else wants this core (the JIT's compiler threads
                // while a run warms up) gets it, and the caller takes back work the helper is slow to claim.
                Thread.yield();
            } else {
                parked = true;
                if (OFFERED.get() == null) {
                    LockSupport.park(PairedWork.class);
                }
                parked = false;
                lastWork = System.nanoTime();
            }
        }
    }
}
