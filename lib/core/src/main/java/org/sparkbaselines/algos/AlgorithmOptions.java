package org.sparkbaselines.algos;

import java.util.Map;

/**
 * The constructor tail every algorithm shares with the reference: {@code verbose=0},
 * {@code tensorboard_log=None}, {@code policy_kwargs=None}, {@code seed=None}.
 *
 * @param verbose 0 silent, 1 training tables, 2 debug
 * @param tensorboardLog directory for TensorBoard runs, or null
 * @param policyKwargs policy keyword arguments ({@code net_arch}, {@code act_fun}, {@code backend}), or empty
 * @param seed seed of networks, sampling and (when the algorithm builds them) envs; null draws one
 */
public record AlgorithmOptions(int verbose, String tensorboardLog, Map<String, Object> policyKwargs, Long seed) {
    public static final AlgorithmOptions DEFAULT = new AlgorithmOptions(0, null, Map.of(), null);

    public AlgorithmOptions {
        policyKwargs = policyKwargs == null ? Map.of() : Map.copyOf(policyKwargs);
    }

    public AlgorithmOptions withVerbose(int v) {
        return new AlgorithmOptions(v, tensorboardLog, policyKwargs, seed);
    }

    public AlgorithmOptions withTensorboardLog(String dir) {
        return new AlgorithmOptions(verbose, dir, policyKwargs, seed);
    }

    public AlgorithmOptions withPolicyKwargs(Map<String, Object> kwargs) {
        return new AlgorithmOptions(verbose, tensorboardLog, kwargs, seed);
    }

    public AlgorithmOptions withSeed(Long s) {
        return new AlgorithmOptions(verbose, tensorboardLog, policyKwargs, s);
    }
}
