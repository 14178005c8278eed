package org.sparkbaselines.logging;

import java.util.Map;

/** An output of {@link Logger#dump}: receives the recorded key-values once per dump. */
public interface KVWriter extends AutoCloseable {
    /** The format this writer implements: keys recorded as excluded from it never reach {@link #write}. */
    LogFormat format();

    /**
     * Writes one dump and flushes it.
     *
     * @param keyValues the values (numbers or strings) in recording order; never empty
     * @param step the training step of the dump (usually the number of timesteps so far)
     */
    void write(Map<String, Object> keyValues, long step);

    @Override
    void close();
}
