package org.sparkbaselines.io.pickle;

import java.util.Objects;

/**
 * A reference to a Python class or function named by a pickle ({@code GLOBAL}, {@code STACK_GLOBAL},
 * {@code INST}), kept as the two names it was written with and never resolved.
 *
 * @param module the module as written, e.g. {@code stable_baselines.common.policies}
 * @param name the (possibly dotted) name inside the module, e.g. {@code MlpPolicy}
 */
public record PyGlobal(String module, String name) {
    /** @throws NullPointerException when a name is null */
    public PyGlobal {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
    }

    /** {@code module.name}, e.g. {@code gym.spaces.box.Box}. */
    @Override
    public String toString() {
        return module + "." + name;
    }
}
