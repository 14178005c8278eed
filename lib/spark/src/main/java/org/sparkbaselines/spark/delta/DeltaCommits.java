package org.sparkbaselines.spark.delta;

import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;

/**
 * Delta commits that may race with another job writing the same table. Delta's optimistic
 * concurrency refuses a commit when a transaction committed in between touched what this one read
 * ({@code ConcurrentAppendException}, or {@code ProtocolChangedException} when two jobs create the same
 * table). Our writes are MERGEs keyed on the job's own keys and table creations that are no-ops once
 * the table exists, so running one again is safe: it is retried a bounded number of times, after a
 * short random pause that lets the two jobs fall out of step.
 */
public final class DeltaCommits {
    /** How many times one commit is tried before the conflict is reported. */
    public static final int MAX_ATTEMPTS = 5;
    private static final long PAUSE_MILLIS = 200;

    private DeltaCommits() {
    }

    /**
     * Runs {@code commit}, an idempotent write to the Delta table at {@code path}, again while a
     * concurrent transaction makes Delta refuse it, up to {@value #MAX_ATTEMPTS} times in all.
     *
     * @throws ConcurrentTableWriteException in one line, naming the table, when every attempt conflicted
     */
    public static void retryingConflicts(String path, Runnable commit) {
        for (int attempt = 1;; attempt++) {
            try {
                commit.run();
                return;
            } catch (DeltaConcurrentModificationException conflict) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new ConcurrentTableWriteException(path, conflict);
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(PAUSE_MILLIS / 2, PAUSE_MILLIS) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a commit", e);
        }
    }

    /** Another job kept committing to the same table: the write did not happen, and running it again is safe. */
    public static final class ConcurrentTableWriteException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ConcurrentTableWriteException(String path, DeltaConcurrentModificationException lastConflict) {
            // Delta's own message is many lines of advice; its class names the kind of conflict.
            super("another job wrote the Delta table at " + path + " at the same time, " + MAX_ATTEMPTS + " times in a row ("
                    + lastConflict.getClass().getSimpleName() + "): nothing of this write was committed, run it again", lastConflict);
        }
    }
}
