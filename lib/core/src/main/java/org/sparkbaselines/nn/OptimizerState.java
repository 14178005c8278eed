package org.sparkbaselines.nn;

import java.util.Map;

/** What model files keep of an algorithm's optimizers: their state (moments, step counts) by name. */
public interface OptimizerState {

    /** The state by name. */
    Map<String, float[]> state();

    /** Restores {@link #state()} output; missing or mis-sized entries are errors naming them. */
    void loadState(Map<String, float[]> state);

    /**
     * The state of several optimizers (one per parameter group: actor and critics, say), each under
     * {@code <group>/}; loading gives each group the entries under its prefix.
     */
    static OptimizerState groups(Map<String, ? extends OptimizerState> groups) {
        Map<String, OptimizerState> ordered = new java.util.LinkedHashMap<>(groups);
        return new OptimizerState() {
            @Override
            public Map<String, float[]> state() {
                Map<String, float[]> out = new java.util.LinkedHashMap<>();
                ordered.forEach((group, optimizer) -> optimizer.state().forEach((name, values) -> out.put(group + "/" + name, values)));
                return out;
            }

            @Override
            public void loadState(Map<String, float[]> state) {
                ordered.forEach((group, optimizer) -> {
                    Map<String, float[]> mine = new java.util.LinkedHashMap<>();
                    state.forEach((name, values) -> {
                        if (name.startsWith(group + "/")) {
                            mine.put(name.substring(group.length() + 1), values);
                        }
                    });
                    optimizer.loadState(mine);
                });
            }
        };
    }
}
