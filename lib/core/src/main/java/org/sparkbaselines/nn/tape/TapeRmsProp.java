package org.sparkbaselines.nn.tape;

import java.util.List;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.jvm.FlatKernels;

/**
 * TensorFlow's RMSProp ({@link RmsPropConfig}, A2C's optimizer) over one group of {@link Variable}s, with the
 * JVM backend's kernel: the mean square starts at one and epsilon sits inside the square root,
 * {@code ms += (g^2 - ms)(1 - alpha)}, {@code mom = momentum mom + lr g / sqrt(ms + eps)}, {@code w -= mom}.
 * State: {@code rmsprop/ms/<variable>} and {@code rmsprop/mom/<variable>}.
 */
public final class TapeRmsProp extends TapeOptimizer {
    private final RmsPropConfig config;
    private float rate;

    public TapeRmsProp(List<Variable> variables, RmsPropConfig config) {
        super("rmsprop", variables, new String[] {"ms", "mom"}, new float[] {1f, 0f});
        this.config = config;
    }

    @Override
    void beginStep(double learningRate) {
        rate = (float) learningRate;
    }

    @Override
    void update(int v, int from, int to, float gradientScale) {
        Variable variable = variables.get(v);
        FlatKernels.rmsPropUpdate(variable.value, variable.grad, slots[0][v], slots[1][v], from, to, gradientScale,
                (float) (1 - config.alpha()), (float) config.momentum(), rate, (float) config.epsilon());
    }
}
