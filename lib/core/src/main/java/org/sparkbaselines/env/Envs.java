package org.sparkbaselines.env;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.sparkbaselines.env.classic.ClassicControl;
import org.sparkbaselines.env.testenvs.TestEnvs;

/**
 * The environment registry, Gym's {@code gym.make}: {@code Envs.make("CartPole-v1")} builds the env,
 * wraps it in its {@link TimeLimit} and in {@link OrderEnforcing}. Built in: the classic-control
 * envs and the reference's test envs; users add theirs with {@link #register}.
 */
public final class Envs {
    private static final Map<String, EnvSpec> REGISTRY = new ConcurrentHashMap<>();

    static {
        ClassicControl.registerAll();
        TestEnvs.registerAll();
    }

    private Envs() {
    }

    /** Registers (or replaces) an env id. {@code maxEpisodeSteps} may be null for no time limit. */
    public static void register(String id, Function<Map<String, Object>, Env> factory, Integer maxEpisodeSteps) {
        register(new EnvSpec(id, factory, maxEpisodeSteps, null));
    }

    /** Registers (or replaces) a full spec. */
    public static void register(EnvSpec spec) {
        if (spec.id() == null || spec.id().isBlank()) {
            throw new IllegalArgumentException("an env id must not be blank");
        }
        REGISTRY.put(spec.id(), spec);
    }

    /** Builds a registered env with its default arguments. */
    public static Env make(String id) {
        return make(id, Map.of());
    }

    /** Builds a registered env with keyword arguments; an unknown id is an error listing the known ones. */
    public static Env make(String id, Map<String, Object> kwargs) {
        EnvSpec spec = spec(id);
        Env env = spec.factory().apply(kwargs == null ? Map.of() : kwargs);
        if (spec.maxEpisodeSteps() != null) {
            env = new TimeLimit(env, spec.maxEpisodeSteps());
        }
        return new OrderEnforcing(env, id);
    }

    /** The spec registered under {@code id}. */
    public static EnvSpec spec(String id) {
        EnvSpec spec = REGISTRY.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("unknown env id '" + id + "'; registered: " + String.join(", ", new TreeMap<>(REGISTRY).keySet()));
        }
        return spec;
    }

    /** Whether {@code id} is registered. */
    public static boolean isRegistered(String id) {
        return REGISTRY.containsKey(id);
    }

    /** All registered ids, sorted. */
    public static java.util.SortedSet<String> ids() {
        return new java.util.TreeSet<>(REGISTRY.keySet());
    }
}
