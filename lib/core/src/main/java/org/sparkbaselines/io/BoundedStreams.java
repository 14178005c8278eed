package org.sparkbaselines.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading untrusted streams without letting them grow past a limit. */
final class BoundedStreams {
    private static final int CHUNK_BYTES = 64 * 1024;

    private BoundedStreams() {
    }

    /**
     * All bytes of {@code in}, failing as soon as there are more than {@code limit}; memory grows with the
     * bytes actually read, not with any size a header claims.
     *
     * @param what names the data in the error, e.g. {@code "entry obs.npy in x.npz"}
     */
    static byte[] readAll(InputStream in, long limit, String what) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(limit, ReadLimits.MAX_ARRAY_BYTES));
        if (in.read() >= 0) {
            throw tooLarge(what, limit);
        }
        return bytes;
    }

    /** Copies {@code in} to {@code out}, failing as soon as more than {@code limit} bytes have come. */
    static void copy(InputStream in, OutputStream out, long limit, String what) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        long copied = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            copied += n;
            if (copied > limit) {
                throw tooLarge(what, limit);
            }
            out.write(chunk, 0, n);
        }
    }

    /** Copies at most {@code max} bytes of {@code in} to {@code out} and returns how many came; the rest stays unread. */
    static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        long copied = 0;
        for (int n; copied < max && (n = in.read(chunk, 0, (int) Math.min(chunk.length, max - copied))) >= 0; ) {
            copied += n;
            out.write(chunk, 0, n);
        }
        return copied;
    }

    static MalformedFileException tooLarge(String what, long limit) {
        return new MalformedFileException(what + " is larger than the limit of " + limit + " bytes");
    }
}
