package org.sparkbaselines.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One env's entry of an RL-zoo style hyperparameter file ({@code conf/hyperparams/<algo>.yml}): the
 * run settings ({@code n_envs}, {@code n_timesteps}, {@code policy}, {@code normalize},
 * {@code policy_kwargs}) and the algorithm's hyperparameters (everything else, by reference name).
 *
 * @param normalize null for none, else VecNormalize keyword arguments ({@code norm_obs}, {@code norm_reward}, ...)
 */
record ZooConfig(int nEnvs, long nTimesteps, String policy, Map<String, Object> normalize, Map<String, Object> policyKwargs,
        Map<String, Object> hyperparameters) {

    static ZooConfig load(Path file, String envId) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no hyperparameter file " + file);
        }
        Map<String, Object> all;
        try {
            all = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        Object entry = all == null ? null : all.get(envId);
        if (!(entry instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(file + " has no entry for " + envId + "; it has: "
                    + (all == null ? "nothing" : new TreeSet<>(all.keySet())));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = new LinkedHashMap<>((Map<String, Object>) entry);
        int nEnvs = asInt(values.remove("n_envs"), 1, file, "n_envs");
        long nTimesteps = (long) asDouble(values.remove("n_timesteps"), 1e6, file, "n_timesteps");
        Object policy = values.remove("policy");
        Map<String, Object> normalize = normalizeKwargs(values.remove("normalize"), file);
        Object kwargs = values.remove("policy_kwargs");
        if (kwargs != null && !(kwargs instanceof Map)) {
            throw new IllegalArgumentException(file + ": " + envId + ".policy_kwargs must be a map like {net_arch: [...], act_fun: tanh}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> policyKwargs = kwargs == null ? Map.of() : (Map<String, Object>) kwargs;
        return new ZooConfig(nEnvs, nTimesteps, policy == null ? "MlpPolicy" : policy.toString(), normalize, policyKwargs, values);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalizeKwargs(Object value, Path file) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return null;
        }
        if (Boolean.TRUE.equals(value)) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(file + ": normalize must be true, false or a map of VecNormalize arguments, got " + value);
    }

    private static int asInt(Object v, int fallback, Path file, String key) {
        double d = asDouble(v, fallback, file, key);
        if (d != Math.rint(d) || d < 1) {
            throw new IllegalArgumentException(file + ": " + key + " must be a positive integer, got " + v);
        }
        return (int) d;
    }

    private static double asDouble(Object v, double fallback, Path file, String key) {
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + " must be a number, got " + v);
        }
    }
}
