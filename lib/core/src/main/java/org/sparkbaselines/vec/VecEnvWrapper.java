package org.sparkbaselines.vec;

import java.util.List;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.spaces.Space;

/** Base of vec-env wrappers: delegates everything to the wrapped {@link VecEnv}; override what you change. */
public abstract class VecEnvWrapper implements VecEnv {
    protected VecEnv venv;

    protected VecEnvWrapper(VecEnv venv) {
        if (venv == null) {
            throw new IllegalArgumentException("cannot wrap a null VecEnv");
        }
        this.venv = venv;
    }

    /** The vec env this one wraps. */
    public VecEnv inner() {
        return venv;
    }

    @Override
    public int numEnvs() {
        return venv.numEnvs();
    }

    @Override
    public Space observationSpace() {
        return venv.observationSpace();
    }

    @Override
    public Space actionSpace() {
        return venv.actionSpace();
    }

    @Override
    public float[][] reset() {
        return venv.reset();
    }

    @Override
    public void stepAsync(float[][] actions) {
        venv.stepAsync(actions);
    }

    @Override
    public VecStepResult stepWait() {
        return venv.stepWait();
    }

    @Override
    public List<Long> seed(Long seed) {
        return venv.seed(seed);
    }

    @Override
    public List<Object> getAttr(String name, int... indices) {
        return venv.getAttr(name, indices);
    }

    @Override
    public void setAttr(String name, Object value, int... indices) {
        venv.setAttr(name, value, indices);
    }

    @Override
    public List<Object> envMethod(String name, Object[] args, int... indices) {
        return venv.envMethod(name, args, indices);
    }

    @Override
    public List<RgbImage> getImages() {
        return venv.getImages();
    }

    @Override
    public void close() {
        venv.close();
    }

    /** The outermost wrapper of type {@code type} in the chain starting at {@code venv}, or null. */
    public static <T extends VecEnv> T find(VecEnv venv, Class<T> type) {
        VecEnv v = venv;
        while (true) {
            if (type.isInstance(v)) {
                return type.cast(v);
            }
            if (!(v instanceof VecEnvWrapper w)) {
                return null;
            }
            v = w.venv;
        }
    }
}
