package org.sparkbaselines.nn;

import java.util.List;

/**
 * Builds networks, parameter vectors and optimizers of one numeric backend: the JVM kernels
 * (Vector API, the default on CPU) or DL4J/ND4J (the GPU, conv/LSTM). Objects of different backends
 * do not mix. Choose one with {@link Backends#get(String)}.
 */
public interface Backend {

    /** {@code "jvm"} or {@code "nd4j"}. */
    String name();

    /** An MLP initialised from {@code seed} (orthogonal weights with each layer's gain, zero biases; see {@link Initializers}). */
    Mlp mlp(MlpSpec spec, long seed);

    /** A parameter vector filled with {@code initialValue}. */
    ParameterVector parameterVector(String name, int size, float initialValue);

    Optimizer adam(List<? extends Trainable> params, AdamConfig config);

    Optimizer rmsProp(List<? extends Trainable> params, RmsPropConfig config);

    /**
     * Whether two of this backend's networks may compute at once on two threads, and one network's
     * successive calls run on different threads (default false: ND4J binds workspaces to threads).
     */
    default boolean concurrentNetworks() {
        return false;
    }
}
