package org.sparkbaselines.rollout;

import java.util.List;

/**
 * Keeps the experience an on-policy algorithm trains on, e.g. lib/spark's Delta recorder, which
 * writes it as whole episodes into trajectory tables. A {@link RolloutSource} hands it each
 * iteration's fragments after the learner's buffer has taken them.
 */
public interface RolloutRecorder extends AutoCloseable {

    /** One iteration's fragments, in worker order; they must not be changed, and may be kept. */
    void record(List<RolloutFragment> fragments);

    /** Finishes recording: writes what is pending. */
    @Override
    void close();
}
