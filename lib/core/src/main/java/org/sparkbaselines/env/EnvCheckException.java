package org.sparkbaselines.env;

/** Thrown by {@link EnvChecker} when an env breaks the {@link Env} contract; the message names the problem. */
public class EnvCheckException extends IllegalArgumentException {
    public EnvCheckException(String message) {
        super(message);
    }

    public EnvCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
