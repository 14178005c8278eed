package org.sparkbaselines.policies;

import java.io.Serializable;
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

    /**
     * Builds a policy for given spaces, keyword arguments and seed. Serializable so that executor-side
     * rollout workers build the same policy in their own JVMs (a lambda or method reference qualifies;
     * a factory holding non-serializable state cannot run on executors).
     */
    @FunctionalInterface
    public interface Factory extends Serializable {
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

    /** The factory registered under {@code name}; an unknown name is an error listing the registered ones. */
    public static Factory factory(String name) {
        Factory f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; registered: " + new TreeSet<>(REGISTRY.keySet()));
        }
        return f;
    }

    /** Builds the policy registered under {@code name}; it remembers the name and kwargs it was built from. */
    public static ActorCriticPolicy create(String name, org.sparkbaselines.spaces.Space observationSpace,
            org.sparkbaselines.spaces.Space actionSpace, PolicyKwargs kwargs, long seed) {
        return create(name, factory(name), observationSpace, actionSpace, kwargs, seed);
    }

    /**
     * Builds a policy with a given factory (one shipped from the driver, where {@code name} was
     * registered), recording {@code name} and {@code kwargs} as its {@link ActorCriticPolicy#registration()}.
     */
    public static ActorCriticPolicy create(String name, Factory factory, org.sparkbaselines.spaces.Space observationSpace,
            org.sparkbaselines.spaces.Space actionSpace, PolicyKwargs kwargs, long seed) {
        ActorCriticPolicy policy = factory.create(observationSpace, actionSpace, kwargs, seed);
        policy.registeredAs(new Registration(name, factory, kwargs));
        return policy;
    }

    /** What a policy was built from: a registered name, its factory, and the kwargs given to it. */
    public record Registration(String name, Factory factory, PolicyKwargs kwargs) {
    }
}
