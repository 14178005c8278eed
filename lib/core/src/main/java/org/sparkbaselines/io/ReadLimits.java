package org.sparkbaselines.io;

/**
 * Size limits for reading untrusted files, checked before anything is allocated or while data is
 * inflated, so that a zip bomb or a header claiming absurd sizes fails fast with a clear error.
 *
 * @param maxEntryBytes the largest uncompressed size of one zip entry or {@code .npy} file
 * @param maxTotalBytes the largest uncompressed size of all entries read from one zip together; also
 *     the largest zip accepted from a stream
 */
public record ReadLimits(long maxEntryBytes, long maxTotalBytes) {
    /** The largest byte array Java can allocate, which bounds one entry. */
    static final long MAX_ARRAY_BYTES = NdArray.MAX_ELEMENTS;

    /** 1 GiB per entry, 2 GiB per zip: far above any model, small enough to fail before the heap does. */
    public static final ReadLimits DEFAULT = new ReadLimits(1L << 30, 1L << 31);

    /** @throws IllegalArgumentException when a limit is not positive or an entry limit exceeds a Java array */
    public ReadLimits {
        if (maxEntryBytes <= 0 || maxEntryBytes > MAX_ARRAY_BYTES || maxTotalBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive and maxEntryBytes at most " + MAX_ARRAY_BYTES
                    + ", got maxEntryBytes=" + maxEntryBytes + ", maxTotalBytes=" + maxTotalBytes);
        }
    }
}
