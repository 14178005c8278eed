package org.sparkbaselines.nn.jvm;

import java.util.List;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Backend;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * The JVM kernels backend ({@code "jvm"}): MLPs, parameter vectors and optimizers on the Vector API
 * ({@code jdk.incubator.vector}; every JVM that runs them needs {@code --add-modules jdk.incubator.vector}).
 * Networks start from {@link Initializers#orthogonal} with {@code SplittableRandom(seed + layerIndex)}
 * per layer and zero biases, the same numbers as the ND4J backend for the same seed.
 */
public final class JvmBackend implements Backend {
    public static final JvmBackend INSTANCE = new JvmBackend();

    private JvmBackend() {
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public Mlp mlp(MlpSpec spec, long seed) {
        return new JvmMlp(spec, seed);
    }

    @Override
    public ParameterVector parameterVector(String name, int size, float initialValue) {
        return new JvmParameterVector(name, size, initialValue);
    }

    /** TensorFlow-style Adam over objects of this backend; others are an error. */
    @Override
    public Optimizer adam(List<? extends Trainable> params, AdamConfig config) {
        return new JvmAdam(params, config);
    }

    /** TensorFlow-style RMSProp over objects of this backend; others are an error. */
    @Override
    public Optimizer rmsProp(List<? extends Trainable> params, RmsPropConfig config) {
        return new JvmRmsProp(params, config);
    }

    /** True: networks own their buffers and share nothing. */
    @Override
    public boolean concurrentNetworks() {
        return true;
    }
}
