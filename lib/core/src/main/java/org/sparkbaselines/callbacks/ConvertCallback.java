package org.sparkbaselines.callbacks;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs a legacy functional callback at every step, the reference's {@code ConvertCallback(callback, verbose=0)}
 * for {@code callback(_locals, _globals) -> bool}. The function gets the training locals, including,
 * as in the reference, the model under {@code "self"}; returning false stops training. Java has no
 * {@code globals()}, so only the locals are passed.
 */
public final class ConvertCallback extends BaseCallback {
    private final Predicate<Map<String, Object>> callback;

    /** @param callback called with the training locals after every env step; false stops training */
    public ConvertCallback(Predicate<Map<String, Object>> callback) {
        this(callback, 0);
    }

    /**
     * @param callback called with the training locals after every env step; false stops training (null always continues)
     * @param verbose verbosity (default 0)
     */
    public ConvertCallback(Predicate<Map<String, Object>> callback, int verbose) {
        super(verbose);
        this.callback = callback;
    }

    @Override
    protected void atInit() {
        // legacy callbacks reach the model through _locals["self"]
        locals.put("self", model);
    }

    @Override
    protected boolean atStep() {
        return callback == null || callback.test(locals);
    }
}
