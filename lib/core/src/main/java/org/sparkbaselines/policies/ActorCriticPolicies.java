package org.sparkbaselines.policies;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.sparkbaselines.spaces.Space;

/**
 * The policy registry of the actor-critic algorithms: {@code "MlpPolicy"} resolves by name, as the
 * reference's {@code register_policy}. Users add their own with {@link #register}.
 */
public final class ActorCriticPolicies {
    /** The reference's feed-forward MLP policy name. */
    public static final String MLP = "MlpPolicy";

    /**
     * Builds a policy for given spaces, keyword arguments and seed. Its parameters must be those
     * {@link ActorCriticPolicy#parameterShapes(Space, Space, PolicyKwargs)} gives for the same arguments:
     * model files are checked against them before the policy is built.
     */
    @FunctionalInterface
    public interface Factory {
        ActorCriticPolicy create(Space observationSpace, Space actionSpace, PolicyKwargs kwargs, long seed);
    }

    private static final Map<String, Factory> REGISTRY = new ConcurrentHashMap<>(Map.of(MLP, ActorCriticPolicy::new));

    private ActorCriticPolicies() {
    }

    public static void register(String name, Factory factory) {
        if (REGISTRY.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("policy '" + name + "' is already registered");
        }
    }

    public static ActorCriticPolicy create(String name, Space observationSpace, Space actionSpace, PolicyKwargs kwargs, long seed) {
        return factory(name).create(observationSpace, actionSpace, kwargs, seed);
    }

    /**
     * The parameter names and shapes the registered policy {@code name} has for these arguments, worked
     * out without building it (see {@link ActorCriticPolicy#parameterShapes(Space, Space, PolicyKwargs)}).
     *
     * @throws IllegalArgumentException for an unknown policy name, or spaces no network can take
     */
    public static Map<String, int[]> parameterShapes(String name, Space observationSpace, Space actionSpace, PolicyKwargs kwargs) {
        factory(name); // an unknown name is the error to report first
        return ActorCriticPolicy.parameterShapes(observationSpace, actionSpace, kwargs);
    }

    private static Factory factory(String name) {
        Factory f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; registered: " + new TreeSet<>(REGISTRY.keySet()));
        }
        return f;
    }
}
