package org.sparkbaselines.env;

import java.util.List;
import org.sparkbaselines.spaces.Space;

/** Base of env wrappers: delegates everything to the wrapped env; override what you change. */
public abstract class EnvWrapper implements Env {
    protected final Env env;

    protected EnvWrapper(Env env) {
        if (env == null) {
            throw new IllegalArgumentException("cannot wrap a null env");
        }
        this.env = env;
    }

    /** The env this one wraps. */
    public Env inner() {
        return env;
    }

    @Override
    public Space observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space actionSpace() {
        return env.actionSpace();
    }

    @Override
    public float[] reset(Long seed) {
        return env.reset(seed);
    }

    @Override
    public StepResult step(float[] action) {
        return env.step(action);
    }

    @Override
    public List<String> renderModes() {
        return env.renderModes();
    }

    @Override
    public RgbImage render() {
        return env.render();
    }

    @Override
    public String specId() {
        return env.specId();
    }

    @Override
    public Env unwrapped() {
        return env.unwrapped();
    }

    @Override
    public void close() {
        env.close();
    }

    /** The outermost wrapper of type {@code type} in the chain starting at {@code env}, or null. */
    public static <T extends Env> T find(Env env, Class<T> type) {
        Env e = env;
        while (true) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            if (!(e instanceof EnvWrapper w)) {
                return null;
            }
            e = w.env;
        }
    }
}
