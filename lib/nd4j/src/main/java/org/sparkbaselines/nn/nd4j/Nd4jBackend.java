package org.sparkbaselines.nn.nd4j;

import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Backend;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * The DL4J/ND4J backend ({@code "nd4j"}): float32 DL4J networks and optimizers written with ND4J
 * ops, on the CPU by default and on the GPU when the {@code -Pcuda} profile swaps in ND4J's CUDA
 * build. Nothing here names a CPU- or GPU-specific class.
 *
 * <p>On small CPUs run it with {@code OMP_NUM_THREADS=1} (ND4J reads it when it starts): with
 * OpenMP's default thread count a 256x64 matmul took ~8 ms under load instead of ~0.09 ms.
 */
public final class Nd4jBackend implements Backend {

    private Nd4jBackend() {
        Nd4j.getBackend(); // loads (and on first use on a machine, unpacks) the native libraries now
    }

    private static final class Holder {
        static final Nd4jBackend INSTANCE = new Nd4jBackend();
    }

    /** The backend; the first call starts ND4J, which can take seconds. Thread-safe. */
    public static Nd4jBackend instance() {
        return Holder.INSTANCE;
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Mlp mlp(MlpSpec spec, long seed) {
        return Nd4jMlp.create(spec, seed);
    }

    @Override
    public ParameterVector parameterVector(String name, int size, float initialValue) {
        if (size <= 0) {
            throw new IllegalArgumentException("parameter vector '" + name + "' needs size > 0, got " + size);
        }
        return new Nd4jParameterVector(name, size, initialValue);
    }

    /** TF-style Adam over trainables built by this backend; others are rejected. */
    @Override
    public Optimizer adam(List<? extends Trainable> params, AdamConfig config) {
        return new Nd4jAdam(params, config);
    }

    /** TF-style RMSProp over trainables built by this backend; others are rejected. */
    @Override
    public Optimizer rmsProp(List<? extends Trainable> params, RmsPropConfig config) {
        return new Nd4jRmsProp(params, config);
    }
}
