package org.sparkbaselines.callbacks;

import java.util.HashMap;
import java.util.Map;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.vec.VecEnv;

/**
 * Hooks into training, the reference's {@code BaseCallback(verbose=0)}. The algorithm calls, in order:
 * {@code initCallback} (at {@code learn}), {@code onTrainingStart}, then per rollout
 * {@code onRolloutStart}, {@code onStep} after every env step (return false to stop training),
 * {@code onRolloutEnd}, and finally {@code onTrainingEnd}. Subclasses override the protected
 * {@code at*} methods; {@link #nCalls}, {@link #numTimesteps} and {@link #locals} are kept up to date.
 */
public abstract class BaseCallback {
    protected final int verbose;
    /** The algorithm being trained (set by {@link #initCallback}). */
    protected BaseAlgorithm<?> model;
    /** The env the algorithm trains on. */
    protected VecEnv trainingEnv;
    /** The algorithm's logger. */
    protected Logger logger;
    /** Times {@link #onStep()} was called. */
    protected long nCalls;
    /** The algorithm's timestep count at the last step (each env step of each env counts). */
    protected long numTimesteps;
    /** The training loop's variables, as the reference exposes {@code locals}: refreshed before each step. */
    protected final Map<String, Object> locals = new HashMap<>();
    /** The callback that owns this one (e.g. the {@link EvalCallback} of a {@link StopTrainingOnRewardThreshold}), or null. */
    protected BaseCallback parent;

    protected BaseCallback() {
        this(0);
    }

    protected BaseCallback(int verbose) {
        this.verbose = verbose;
    }

    public final void initCallback(BaseAlgorithm<?> model) {
        this.model = model;
        this.trainingEnv = model.getEnv();
        this.logger = model.logger();
        atInit();
    }

    public final void onTrainingStart(Map<String, Object> trainingLocals) {
        updateLocals(trainingLocals);
        numTimesteps = model.numTimesteps();
        atTrainingStart();
    }

    public final void onRolloutStart() {
        atRolloutStart();
    }

    /** Called after each vectorized env step; false stops training. */
    public final boolean onStep() {
        nCalls++;
        numTimesteps = model.numTimesteps();
        return atStep();
    }

    public final void onRolloutEnd() {
        atRolloutEnd();
    }

    public final void onTrainingEnd() {
        atTrainingEnd();
    }

    /** Refreshes {@link #locals} (and those of child callbacks). */
    public void updateLocals(Map<String, Object> trainingLocals) {
        locals.putAll(trainingLocals);
    }

    /** The callback that owns this one, or null. */
    public BaseCallback parent() {
        return parent;
    }

    public long nCalls() {
        return nCalls;
    }

    public long numTimesteps() {
        return numTimesteps;
    }

    /** The training locals seen last. */
    public Map<String, Object> locals() {
        return locals;
    }

    protected void atInit() {
    }

    protected void atTrainingStart() {
    }

    protected void atRolloutStart() {
    }

    /** Return false to stop training. */
    protected abstract boolean atStep();

    protected void atRolloutEnd() {
    }

    protected void atTrainingEnd() {
    }
}
