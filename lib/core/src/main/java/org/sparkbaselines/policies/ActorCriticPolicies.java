package org.sparkbaselines.policies;

import java.io.Serializable;
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
     * Builds a policy for given spaces, keyword arguments and seed: an {@link ActorCriticPolicy}, whose layers may differ
     * from what the kwargs say (model files are checked against the shapes of a policy built on their spaces before the
     * model is). Serializable so that executor-side
     * rollout workers build the same policy in their own JVMs (a lambda or method reference qualifies; a
     * factory holding non-serializable state cannot run on executors).
     */
    @FunctionalInterface
    public interface Factory extends Serializable {
        ActorCriticPolicy create(Space observationSpace, Space actionSpace, PolicyKwargs kwargs, long seed);
    }

    /** What a policy was built from: a registered name, its factory, and the kwargs given to it. */
    public record Registration(String name, Factory factory, PolicyKwargs kwargs) {
    }

    private static final Map<String, Factory> REGISTRY = new ConcurrentHashMap<>(Map.of(MLP, ActorCriticPolicy::new));

    private ActorCriticPolicies() {
    }

    public static void register(String name, Factory factory) {
        if (REGISTRY.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("policy '" + name + "' is already registered");
        }
    }

    /** Builds the policy registered under {@code name}; it remembers the name and kwargs it was built from. */
    public static ActorCriticPolicy create(String name, Space observationSpace, Space actionSpace, PolicyKwargs kwargs, long seed) {
        return create(name, factory(name), observationSpace, actionSpace, kwargs, seed);
    }

    /**
     * Builds a policy with a given factory (one shipped from the driver, where {@code name} was
     * registered), recording {@code name} and {@code kwargs} as its {@link ActorCriticPolicy#registration()}.
     */
    public static ActorCriticPolicy create(String name, Factory factory, Space observationSpace, Space actionSpace, PolicyKwargs kwargs,
            long seed) {
        ActorCriticPolicy policy = factory.create(observationSpace, actionSpace, kwargs, seed);
        policy.registeredAs(new Registration(name, factory, kwargs));
        return policy;
    }

    /**
     * The parameter names and shapes the registered policy {@code name} has for these arguments: for {@code MlpPolicy}
     * worked out without building it (see {@link ActorCriticPolicy#parameterShapes(Space, Space, PolicyKwargs)}); a
     * policy registered with a factory of its own may build other layers than the kwargs say (a shared ReLU trunk, say),
     * so it is built once on these spaces and asked, after the kwargs' own layout has been checked for them.
     *
     * @throws IllegalArgumentException for an unknown policy name, or spaces no network can take
     */
    public static Map<String, int[]> parameterShapes(String name, Space observationSpace, Space actionSpace, PolicyKwargs kwargs) {
        Factory factory = factory(name); // an unknown name is the error to report first
        Map<String, int[]> shapes = ActorCriticPolicy.parameterShapes(observationSpace, actionSpace, kwargs);
        return name.equals(MLP) ? shapes : factory.create(observationSpace, actionSpace, kwargs, 0L).parameterShapes();
    }

    /** The factory registered under {@code name}; an unknown name is an error listing the registered ones. */
    public static Factory factory(String name) {
        Factory f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; registered: " + new TreeSet<>(REGISTRY.keySet()));
        }
        return f;
    }
}
