package org.sparkbaselines.callbacks;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns what {@code learn} accepts (null, a callback, a plain function of the training locals
 * returning whether to continue, or a list of these) into one callback, as the reference's
 * {@code _init_callback}.
 */
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
        if (callback instanceof Predicate<?> function) {
            return convert(function);
        }
        if (callback instanceof List<?> list) {
            List<BaseCallback> callbacks = new java.util.ArrayList<>();
            for (Object o : list) {
                if (o instanceof BaseCallback c) {
                    callbacks.add(c);
                } else if (o instanceof Predicate<?> function) {
                    callbacks.add(convert(function));
                } else {
                    throw new IllegalArgumentException("callback list entries must be BaseCallback or Predicate<Map<String, Object>>, got " + o);
                }
            }
            return new CallbackList(callbacks);
        }
        throw new IllegalArgumentException("a callback must be a BaseCallback, a Predicate<Map<String, Object>> (the legacy "
                + "functional form) or a list of them, got " + callback);
    }

    @SuppressWarnings("unchecked")
    private static BaseCallback convert(Predicate<?> function) {
        return new ConvertCallback((Predicate<Map<String, Object>>) function);
    }

    /** The callback used when none is given. */
    private static final class NoOp extends BaseCallback {
        @Override
        protected boolean atStep() {
            return true;
        }
    }
}
