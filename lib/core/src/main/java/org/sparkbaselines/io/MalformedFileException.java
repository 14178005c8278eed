package org.sparkbaselines.io;

import java.io.IOException;

/**
 * A file (or a part of one, such as an array inside an {@code .npz}) is not in the expected format:
 * truncated, corrupt, too large, or holding something this library refuses to read. The message names
 * the file or array and the problem.
 */
public class MalformedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file or array and the problem */
    public MalformedFileException(String message) {
        super(message);
    }

    /** @param message names the file or array and the problem; {@code cause} is the low-level error */
    public MalformedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
