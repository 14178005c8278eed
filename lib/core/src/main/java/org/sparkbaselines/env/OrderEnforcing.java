package org.sparkbaselines.env;

/**
 * The outermost wrapper {@link Envs#make} puts on every env: carries the registry id and refuses
 * {@code step} before the first {@code reset} with a clear error, as Gymnasium's wrapper of that name.
 */
public final class OrderEnforcing extends EnvWrapper {
    private final String specId;
    private boolean hasReset;

    public OrderEnforcing(Env env, String specId) {
        super(env);
        this.specId = specId;
    }

    @Override
    public float[] reset(Long seed) {
        hasReset = true;
        return env.reset(seed);
    }

    @Override
    public StepResult step(float[] action) {
        if (!hasReset) {
            throw new IllegalStateException(specId + ": call reset() before step()");
        }
        return env.step(action);
    }

    @Override
    public String specId() {
        return specId;
    }
}
