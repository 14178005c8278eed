package org.sparkbaselines.callbacks;

import java.util.List;
import java.util.Map;

/** Runs several callbacks in order, the reference's {@code CallbackList}; training stops if any step hook returns false. */
public final class CallbackList extends BaseCallback {
    private final List<BaseCallback> callbacks;

    public CallbackList(List<? extends BaseCallback> callbacks) {
        this.callbacks = List.copyOf(callbacks);
    }

    public List<BaseCallback> callbacks() {
        return callbacks;
    }

    @Override
    protected void atInit() {
        for (BaseCallback c : callbacks) {
            c.initCallback(model);
        }
    }

    @Override
    protected void atTrainingStart() {
        for (BaseCallback c : callbacks) {
            c.onTrainingStart(locals);
        }
    }

    @Override
    protected void atRolloutStart() {
        for (BaseCallback c : callbacks) {
            c.onRolloutStart();
        }
    }

    @Override
    protected boolean atStep() {
        boolean continueTraining = true;
        for (BaseCallback c : callbacks) {
            // every callback sees every step, as the reference does, even after one asked to stop
            continueTraining &= c.onStep();
        }
        return continueTraining;
    }

    @Override
    protected void atRolloutEnd() {
        for (BaseCallback c : callbacks) {
            c.onRolloutEnd();
        }
    }

    @Override
    protected void atTrainingEnd() {
        for (BaseCallback c : callbacks) {
            c.onTrainingEnd();
        }
    }

    @Override
    public void updateLocals(Map<String, Object> trainingLocals) {
        super.updateLocals(trainingLocals);
        for (BaseCallback c : callbacks) {
            c.updateLocals(trainingLocals);
        }
    }
}
