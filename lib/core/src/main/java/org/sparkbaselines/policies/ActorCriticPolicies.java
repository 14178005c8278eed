package org.sparkbaselines.policies;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy registry of the actor-critic algorithms: {@code "MlpPolicy"} resolves by name, as the
 * reference's {@code register_policy}. Users add their own with {@link #register}.
 */
public final class ActorCriticPolicies {
    /** The reference's feed-forward MLP policy name. */
    public static final String MLP = "MlpPolicy";

    /** Builds a policy for given spaces, keyword arguments and seed. */
    @FunctionalInterface
    public interface Factory {
        ActorCriticPolicy create(org.sparkbaselines.spaces.Space observationSpace, org.sparkbaselines.spaces.Space actionSpace,
                PolicyKwargs kwargs, long seed);
    }

    private static final Map<String, Factory> REGISTRY = new ConcurrentHashMap<>(Map.of(MLP, ActorCriticPolicy::new));

    private ActorCriticPolicies() {
    }

    public static void register(String name, Factory factory) {
        if (REGISTRY.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("policy '" + name + "' is already registered");
        }
    }

    public static ActorCriticPolicy create(String name, org.sparkbaselines.spaces.Space observationSpace,
            org.sparkbaselines.spaces.Space actionSpace, PolicyKwargs kwargs, long seed) {
        Factory f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; registered: " + new TreeSet<>(REGISTRY.keySet()));
        }
        return f.create(observationSpace, actionSpace, kwargs, seed);
    }
}
