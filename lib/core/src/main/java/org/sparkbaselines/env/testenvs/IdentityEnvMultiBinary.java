package org.sparkbaselines.env.testenvs;

import org.sparkbaselines.spaces.MultiBinary;

/**
 * {@link IdentityEnv} on {@code MultiBinary(dim)}: the reward is 1 when every bit matches.
 * Defaults as the reference: {@code dim = 1, epLength = 100}.
 */
public final class IdentityEnvMultiBinary extends IdentityEnv {
    /** {@code IdentityEnvMultiBinary(1, 100)}. */
    public IdentityEnvMultiBinary() {
        this(DEFAULT_DIM, DEFAULT_EP_LENGTH);
    }

    public IdentityEnvMultiBinary(int dim, int epLength) {
        super(new MultiBinary(dim), epLength);
    }
}
