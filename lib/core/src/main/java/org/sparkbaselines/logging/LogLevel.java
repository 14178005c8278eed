package org.sparkbaselines.logging;

/** Message levels of {@link Logger#log}, with the reference's numeric values. */
public enum LogLevel {
    DEBUG(10),
    INFO(20),
    WARN(30),
    ERROR(40),
    /** Silences messages and makes {@link Logger#dump} write nothing. */
    DISABLED(50);

    private final int value;

    LogLevel(int value) {
        this.value = value;
    }

    /** The reference's number for this level ({@code DEBUG=10} ... {@code DISABLED=50}). */
    public int value() {
        return value;
    }

    /** Whether a logger set to this level shows messages of {@code messageLevel}. */
    public boolean shows(LogLevel messageLevel) {
        return messageLevel.value >= value;
    }
}
