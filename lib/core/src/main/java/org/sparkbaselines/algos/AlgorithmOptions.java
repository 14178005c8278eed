package org.sparkbaselines.algos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sparkbaselines.common.Hyperparameters;

/**
 * The constructor tail every algorithm shares with the reference: {@code verbose=0},
 * {@code tensorboard_log=None}, {@code policy_kwargs=None}, {@code seed=None},
 * {@code full_tensorboard_log=False}, {@code n_cpu_tf_sess=None}.
 *
 * @param verbose 0 silent, 1 training tables, 2 debug
 * @param tensorboardLog directory for TensorBoard runs, or null
 * @param policyKwargs policy keyword arguments ({@code net_arch}, {@code act_fun}, {@code backend}), or empty
 * @param seed seed of networks, sampling and envs (a VecEnv passed in too, as the reference's
 *        {@code set_random_seed} does); null draws one and leaves a VecEnv passed in as it is
 * @param fullTensorboardLog also write histograms of every parameter to the TensorBoard run at each log dump
 *        (false; "can take a lot of space")
 * @param nCpuTfSess threads one training step may use: 1 keeps everything on the caller's thread, 2 or
 *        more lets the JVM backend run the value network and half of the optimizer step on a second core
 *        (PairedWork's helper); null uses every available core (null)
 */
public record AlgorithmOptions(int verbose, String tensorboardLog, Map<String, Object> policyKwargs, Long seed, boolean fullTensorboardLog,
        Integer nCpuTfSess) {
    public static final AlgorithmOptions DEFAULT = new AlgorithmOptions(0, null, Map.of(), null, false, null);
    // Not policy_kwargs: configs carry it apart, and a loaded model's networks fix it.
    private static final Set<String> OPTION_NAMES = new TreeSet<>(List.of("verbose", "tensorboard_log", "seed", "full_tensorboard_log",
            "n_cpu_tf_sess"));

    public AlgorithmOptions {
        policyKwargs = policyKwargs == null ? Map.of() : Map.copyOf(policyKwargs);
        if (nCpuTfSess != null && nCpuTfSess < 1) {
            throw new IllegalArgumentException("n_cpu_tf_sess must be at least 1 (or null for every core), got " + nCpuTfSess);
        }
    }

    /** The first four options; {@code full_tensorboard_log} and {@code n_cpu_tf_sess} at their defaults. */
    public AlgorithmOptions(int verbose, String tensorboardLog, Map<String, Object> policyKwargs, Long seed) {
        this(verbose, tensorboardLog, policyKwargs, seed, false, null);
    }

    public AlgorithmOptions withVerbose(int v) {
        return new AlgorithmOptions(v, tensorboardLog, policyKwargs, seed, fullTensorboardLog, nCpuTfSess);
    }

    public AlgorithmOptions withTensorboardLog(String dir) {
        return new AlgorithmOptions(verbose, dir, policyKwargs, seed, fullTensorboardLog, nCpuTfSess);
    }

    public AlgorithmOptions withPolicyKwargs(Map<String, Object> kwargs) {
        return new AlgorithmOptions(verbose, tensorboardLog, kwargs, seed, fullTensorboardLog, nCpuTfSess);
    }

    public AlgorithmOptions withSeed(Long s) {
        return new AlgorithmOptions(verbose, tensorboardLog, policyKwargs, s, fullTensorboardLog, nCpuTfSess);
    }

    public AlgorithmOptions withFullTensorboardLog(boolean full) {
        return new AlgorithmOptions(verbose, tensorboardLog, policyKwargs, seed, full, nCpuTfSess);
    }

    public AlgorithmOptions withNCpuTfSess(Integer threads) {
        return new AlgorithmOptions(verbose, tensorboardLog, policyKwargs, seed, fullTensorboardLog, threads);
    }

    /** The threads a training step may use: {@link #nCpuTfSess}, or every available core when it is null. */
    public int threads() {
        return nCpuTfSess != null ? nCpuTfSess : Runtime.getRuntime().availableProcessors();
    }

    /**
     * These options with the entries of {@code overrides} replaced, by the reference's names: {@code verbose},
     * {@code tensorboard_log}, {@code seed}, {@code full_tensorboard_log}, {@code n_cpu_tf_sess} (what
     * {@code load(path, env, kwargs)} accepts besides hyperparameters). Another key is an error naming it.
     */
    public AlgorithmOptions with(Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            if (!OPTION_NAMES.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; known: " + OPTION_NAMES);
            }
        }
        return Hyperparameters.with(this, overrides);
    }

    /**
     * These options with the option keys among {@code values} applied (see {@link #with(Map)}); the
     * other keys, hyperparameters, are left for {@link #withoutOptions}. How the reference's keyword
     * arguments (a zoo config's, {@code load}'s) are split between the two.
     */
    public AlgorithmOptions withOptionsFrom(Map<String, ?> values) {
        Map<String, Object> options = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (OPTION_NAMES.contains(key)) {
                options.put(key, value);
            }
        });
        return with(options);
    }

    /** {@code values} without the option keys: the hyperparameters. */
    public static Map<String, Object> withoutOptions(Map<String, ?> values) {
        Map<String, Object> hyperparameters = new LinkedHashMap<>(values);
        hyperparameters.keySet().removeAll(OPTION_NAMES);
        return hyperparameters;
    }
}
