package org.sparkbaselines.spark.dataset;

/**
 * Delta Kernel cannot read a table that Spark may read: a reader protocol version or table feature
 * newer than this Kernel, another failure inside Kernel, or a class path where Kernel's Parquet
 * reader cannot load. Callers read the table with Spark instead.
 */
public final class KernelUnsupportedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KernelUnsupportedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Kernel failed on the table (or tables) at {@code path}. */
    static KernelUnsupportedException reading(String path, Throwable cause) {
        return new KernelUnsupportedException("Delta Kernel cannot read " + path + ": " + cause.getMessage(), cause);
    }
}
