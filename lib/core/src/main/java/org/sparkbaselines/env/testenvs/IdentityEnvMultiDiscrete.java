package org.sparkbaselines.env.testenvs;

import org.sparkbaselines.spaces.MultiDiscrete;

/**
 * {@link IdentityEnv} on {@code MultiDiscrete([dim, dim])}: the reward is 1 when both entries match.
 * Defaults as the reference: {@code dim = 1, epLength = 100}.
 */
public final class IdentityEnvMultiDiscrete extends IdentityEnv {
    /** {@code IdentityEnvMultiDiscrete(1, 100)}. */
    public IdentityEnvMultiDiscrete() {
        this(DEFAULT_DIM, DEFAULT_EP_LENGTH);
    }

    public IdentityEnvMultiDiscrete(int dim, int epLength) {
        super(new MultiDiscrete(dim, dim), epLength);
    }
}
