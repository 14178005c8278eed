package org.sparkbaselines.callbacks;

import java.util.Map;

/**
 * Base of callbacks that trigger a child callback when an event happens, the reference's
 * {@code EventCallback(callback=None, verbose=0)}: the child's {@link #parent} is this callback, it is
 * initialised and sees training start with this one, and {@link #onEvent()} runs its step hook (so
 * the child's {@code nCalls} counts events, not env steps).
 */
public abstract class EventCallback extends BaseCallback {
    /** The callback triggered on events, or null. */
    protected final BaseCallback callback;

    /**
     * @param callback the callback triggered on events, or null (default null)
     * @param verbose verbosity (default 0)
     */
    protected EventCallback(BaseCallback callback, int verbose) {
        super(verbose);
        this.callback = callback;
        if (callback != null) {
            callback.parent = this;
        }
    }

    @Override
    protected void atInit() {
        if (callback != null) {
            callback.initCallback(model);
        }
    }

    @Override
    protected void atTrainingStart() {
        if (callback != null) {
            callback.onTrainingStart(locals);
        }
    }

    /** Runs the child's step hook; true (continue training) when there is no child. */
    protected boolean onEvent() {
        return callback == null || callback.onStep();
    }

    @Override
    public void updateLocals(Map<String, Object> trainingLocals) {
        super.updateLocals(trainingLocals);
        if (callback != null) {
            callback.updateLocals(trainingLocals);
        }
    }
}
