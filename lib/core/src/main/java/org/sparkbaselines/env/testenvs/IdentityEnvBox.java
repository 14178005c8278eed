package org.sparkbaselines.env.testenvs;

import org.sparkbaselines.spaces.Box;

/**
 * {@link IdentityEnv} on {@code Box(low, high, (1,))}: the reward is 1 when
 * {@code state - eps <= action <= state + eps}, else 0.
 * Defaults as the reference: {@code low = -1, high = 1, eps = 0.05, epLength = 100}.
 */
public final class IdentityEnvBox extends IdentityEnv {
    public static final float DEFAULT_LOW = -1f;
    public static final float DEFAULT_HIGH = 1f;
    public static final float DEFAULT_EPS = 0.05f;

    private final float eps;

    /** {@code IdentityEnvBox(-1, 1, 0.05, 100)}. */
    public IdentityEnvBox() {
        this(DEFAULT_LOW, DEFAULT_HIGH, DEFAULT_EPS, DEFAULT_EP_LENGTH);
    }

    public IdentityEnvBox(float low, float high, float eps, int epLength) {
        super(new Box(low, high, 1), epLength);
        this.eps = eps;
    }

    public float eps() {
        return eps;
    }

    @Override
    protected boolean matches(float[] state, float[] action) {
        return state[0] - eps <= action[0] && action[0] <= state[0] + eps;
    }
}
