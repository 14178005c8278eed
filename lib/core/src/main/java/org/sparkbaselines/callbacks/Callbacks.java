package org.sparkbaselines.callbacks;

import java.util.List;

/** Turns what {@code learn} accepts (null, one callback, a list) into one callback, as the reference's {@code _init_callback}. */
public final class Callbacks {
    private Callbacks() {
    }

    public static BaseCallback of(Object callback) {
        if (callback == null) {
            return new NoOp();
        }
        if (callback instanceof BaseCallback c) {
            return c;
        }
        if (callback instanceof List<?> list) {
            List<BaseCallback> callbacks = new java.util.ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof BaseCallback c)) {
                    throw new IllegalArgumentException("callback list entries must be BaseCallback, got " + o);
                }
                callbacks.add(c);
            }
            return new CallbackList(callbacks);
        }
        throw new IllegalArgumentException("a callback must be a BaseCallback or a list of them, got " + callback);
    }

    /** The callback used when none is given. */
    private static final class NoOp extends BaseCallback {
        @Override
        protected boolean atStep() {
            return true;
        }
    }
}
