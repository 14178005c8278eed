package org.sparkbaselines.vec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.sparkbaselines.common.Seeding;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Space;

/**
 * What every in-process vectorized env shares: the envs, the per-env step with auto-reset, seeds for
 * the next reset, and attribute access. {@link DummyVecEnv} steps the envs in order on the caller's
 * thread, {@link ParallelVecEnv} on worker threads; both call {@link #stepEnv} so they give the same
 * results for the same seeds.
 */
public abstract class EnvBatch implements VecEnv {
    protected final Env[] envs;
    private final Space observationSpace;
    private final Space actionSpace;
    protected final VecStepResult result;
    private final float[][] resetObs;
    private Long[] pendingSeeds;
    protected float[][] actions;
    private boolean stepping;

    protected EnvBatch(List<? extends Supplier<? extends Env>> envFactories) {
        if (envFactories == null || envFactories.isEmpty()) {
            throw new IllegalArgumentException("a vectorized env needs at least one env factory");
        }
        envs = new Env[envFactories.size()];
        for (int i = 0; i < envs.length; i++) {
            envs[i] = envFactories.get(i).get();
            if (envs[i] == null) {
                throw new IllegalArgumentException("env factory " + i + " returned null");
            }
        }
        observationSpace = envs[0].observationSpace();
        actionSpace = envs[0].actionSpace();
        for (int i = 1; i < envs.length; i++) {
            if (!envs[i].observationSpace().equals(observationSpace) || !envs[i].actionSpace().equals(actionSpace)) {
                throw new IllegalArgumentException("env " + i + " has spaces " + envs[i].observationSpace() + " / " + envs[i].actionSpace()
                        + " but env 0 has " + observationSpace + " / " + actionSpace + "; all envs of a VecEnv must share their spaces");
            }
        }
        result = new VecStepResult(envs.length, observationSpace.flatDim());
        resetObs = new float[envs.length][observationSpace.flatDim()];
    }

    @Override
    public int numEnvs() {
        return envs.length;
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    @Override
    public float[][] reset() {
        stepping = false;
        for (int i = 0; i < envs.length; i++) {
            Long seed = pendingSeeds == null ? null : pendingSeeds[i];
            copyObs(envs[i].reset(seed), resetObs[i], i);
        }
        pendingSeeds = null;
        return resetObs;
    }

    @Override
    public void stepAsync(float[][] actions) {
        if (stepping) {
            throw new IllegalStateException("stepAsync called while a step is pending: call stepWait first");
        }
        if (actions == null || actions.length != envs.length) {
            throw new IllegalArgumentException("expected " + envs.length + " action rows, got " + (actions == null ? "null" : actions.length));
        }
        for (int i = 0; i < actions.length; i++) {
            actionSpace.checkLength(actions[i], "action for env " + i);
        }
        this.actions = actions;
        stepping = true;
        startStep();
    }

    @Override
    public VecStepResult stepWait() {
        if (!stepping) {
            throw new IllegalStateException("stepWait called without a pending stepAsync");
        }
        finishStep();
        stepping = false;
        return result;
    }

    /** Begins stepping every env with {@link #actions}. */
    protected abstract void startStep();

    /** Returns once every env has been stepped. */
    protected abstract void finishStep();

    /** Steps env {@code i}, auto-resetting it when done; writes row {@code i} of the result. */
    protected final void stepEnv(int i) {
        Env env = envs[i];
        StepResult r = env.step(actions[i]);
        float[] row = result.obs()[i];
        boolean done = r.done();
        if (done) {
            r.info().put(Infos.TERMINAL_OBSERVATION, r.obs().clone());
            r.info().put(Infos.TIME_LIMIT_TRUNCATED, r.truncated() && !r.terminated());
            result.set(i, r.reward(), r.terminated(), r.truncated(), r.info());
            copyObs(env.reset(null), row, i);
        } else {
            copyObs(r.obs(), row, i);
            result.set(i, r.reward(), r.terminated(), r.truncated(), r.info());
        }
    }

    private void copyObs(float[] obs, float[] row, int i) {
        if (obs == null || obs.length != row.length) {
            throw new IllegalStateException("env " + i + " returned an observation of length "
                    + (obs == null ? "null" : obs.length) + "; " + observationSpace + " needs " + row.length);
        }
        System.arraycopy(obs, 0, row, 0, row.length);
    }

    @Override
    public List<Long> seed(Long seed) {
        long base = seed != null ? seed : Seeding.newSeed();
        pendingSeeds = new Long[envs.length];
        List<Long> seeds = new ArrayList<>(envs.length);
        for (int i = 0; i < envs.length; i++) {
            pendingSeeds[i] = base + i;
            envs[i].actionSpace().seed(base + i);
            seeds.add(base + i);
        }
        return seeds;
    }

    @Override
    public List<Object> getAttr(String name, int... indices) {
        List<Object> out = new ArrayList<>();
        for (int i : targets(indices)) {
            out.add(Attributes.get(envs[i], name));
        }
        return out;
    }

    @Override
    public void setAttr(String name, Object value, int... indices) {
        for (int i : targets(indices)) {
            Attributes.set(envs[i], name, value);
        }
    }

    @Override
    public List<Object> envMethod(String name, Object[] args, int... indices) {
        List<Object> out = new ArrayList<>();
        for (int i : targets(indices)) {
            out.add(Attributes.call(envs[i], name, args));
        }
        return out;
    }

    @Override
    public List<RgbImage> getImages() {
        List<RgbImage> out = new ArrayList<>(envs.length);
        for (Env env : envs) {
            out.add(env.render());
        }
        return out;
    }

    /** The env objects themselves, for code that needs them directly (e.g. the env checker). */
    public List<Env> envs() {
        return List.of(envs);
    }

    @Override
    public void close() {
        for (Env env : envs) {
            env.close();
        }
    }

    private int[] targets(int[] indices) {
        if (indices == null || indices.length == 0) {
            int[] all = new int[envs.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        for (int i : indices) {
            if (i < 0 || i >= envs.length) {
                throw new IndexOutOfBoundsException("env index " + i + " out of range for " + envs.length + " envs");
            }
        }
        return indices;
    }
}
