package org.sparkbaselines.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
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

    /** The entry of {@code envId} in the hyperparameter file {@code file} (a {@code --conf} file). */
    static ZooConfig load(Path file, String envId) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no hyperparameter file " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString(), envId);
        }
    }

    /** The entry of {@code envId} in the bundled {@code hyperparams/<algo>.yml}. */
    static ZooConfig loadBundled(String algo, String envId) throws IOException {
        String resource = "hyperparams/" + algo + ".yml";
        try (InputStream in = ZooConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled " + resource + "; pass --conf FILE");
            }
            return parse(in, "the bundled " + resource, envId);
        }
    }

    /** Parses a whole hyperparameter file; {@code source} names it in errors. */
    private static ZooConfig parse(InputStream in, String source, String envId) throws IOException {
        Map<String, Object> all;
        try {
            // A key given twice is most likely an edit gone wrong; Jackson would silently keep the last value.
            all = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readValue(in, Map.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(source + " is not valid YAML" + (at == null ? "" : " (line " + at.getLineNr() + ")") + ": "
                    + e.getOriginalMessage(), e);
        }
        Object entry = all == null ? null : all.get(envId);
        if (!(entry instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(source + " has no entry for " + envId + "; it has: "
                    + (all == null ? "nothing" : new TreeSet<>(all.keySet())));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = new LinkedHashMap<>((Map<String, Object>) entry);
        int nEnvs = asInt(values.remove("n_envs"), 1, source, "n_envs");
        long nTimesteps = (long) asDouble(values.remove("n_timesteps"), 1e6, source, "n_timesteps");
        Object policy = values.remove("policy");
        Map<String, Object> normalize = normalizeKwargs(values.remove("normalize"), source);
        Object kwargs = values.remove("policy_kwargs");
        if (kwargs != null && !(kwargs instanceof Map)) {
            throw new IllegalArgumentException(source + ": " + envId + ".policy_kwargs must be a map like {net_arch: [...], act_fun: tanh}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> policyKwargs = kwargs == null ? Map.of() : (Map<String, Object>) kwargs;
        return new ZooConfig(nEnvs, nTimesteps, policy == null ? "MlpPolicy" : policy.toString(), normalize, policyKwargs, values);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalizeKwargs(Object value, String source) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return null;
        }
        if (Boolean.TRUE.equals(value)) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(source + ": normalize must be true, false or a map of VecNormalize arguments, got " + value);
    }

    private static int asInt(Object v, int fallback, String source, String key) {
        double d = asDouble(v, fallback, source, key);
        if (d != Math.rint(d) || d < 1) {
            throw new IllegalArgumentException(source + ": " + key + " must be a positive integer, got " + v);
        }
        return (int) d;
    }

    private static double asDouble(Object v, double fallback, String source, String key) {
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": " + key + " must be a number, got " + v);
        }
    }
}
