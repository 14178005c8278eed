package org.sparkbaselines.vec;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.sparkbaselines.env.Env;

/**
 * Steps its envs concurrently on worker threads: the JVM's answer to the reference's
 * {@code SubprocVecEnv}, with the same API and the same results for the same seeds as
 * {@link DummyVecEnv}. Each worker owns a contiguous slice of the envs. Worth it when a step costs
 * far more than a thread hand-off (a few microseconds): slow simulators, not CartPole.
 */
public final class ParallelVecEnv extends EnvBatch {
    /** Spin this many times before parking: a step that ends within microseconds is caught without a context switch. */
    private static final int SPINS = 1 << 12;

    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile long generation;
    private volatile boolean closed;
    private volatile Thread waiter;

    /** One worker per env, at most one per available processor. */
    public ParallelVecEnv(List<? extends Supplier<? extends Env>> envFactories) {
        this(envFactories, Math.min(envFactories.size(), Runtime.getRuntime().availableProcessors()));
    }

    /** @param threads number of worker threads (1 .. number of envs) */
    public ParallelVecEnv(List<? extends Supplier<? extends Env>> envFactories, int threads) {
        super(envFactories);
        if (threads < 1 || threads > envs.length) {
            throw new IllegalArgumentException("threads must be between 1 and " + envs.length + ", got " + threads);
        }
        workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int from = t * envs.length / threads;
            int to = (t + 1) * envs.length / threads;
            workers[t] = new Thread(() -> work(from, to), "vecenv-worker-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
    }

    public int threads() {
        return workers.length;
    }

    @Override
    protected void startStep() {
        if (closed) {
            throw new IllegalStateException("ParallelVecEnv is closed");
        }
        waiter = Thread.currentThread();
        pending.set(workers.length);
        generation++;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    @Override
    protected void finishStep() {
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        RuntimeException e = failure.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }

    private void work(int from, int to) {
        long seen = 0;
        while (true) {
            for (int spin = 0; generation == seen && !closed; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            for (int i = from; i < to; i++) {
                try {
                    stepEnv(i);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, new IllegalStateException("env " + i + " failed to step: " + e.getMessage(), e));
                }
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        super.close();
    }
}
