package org.sparkbaselines.nn.jvm;

import java.util.List;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * TensorFlow's RMSProp ({@link RmsPropConfig}): the mean square starts at one and epsilon sits
 * inside the square root: {@code ms += (g^2 - ms)(1 - alpha)}, {@code mom = momentum mom + lr g / sqrt(ms + eps)},
 * {@code w -= mom}. State: {@code rmsprop/ms/<param>} and {@code rmsprop/mom/<param>}.
 */
final class JvmRmsProp extends JvmOptimizer {
    private final RmsPropConfig config;
    private float rate;

    JvmRmsProp(List<? extends Trainable> params, RmsPropConfig config) {
        super("rmsprop", params, new String[] {"ms", "mom"}, new float[] {1f, 0f});
        this.config = config;
    }

    @Override
    void beginStep(double learningRate) {
        rate = (float) learningRate;
    }

    @Override
    void update(int p, float gradientScale) {
        Parameter parameter = parameters[p];
        FlatKernels.rmsPropUpdate(parameter.values, parameter.grads, slots[0][p], slots[1][p], 0, parameter.values.length, gradientScale,
                (float) (1 - config.alpha()), (float) config.momentum(), rate, (float) config.epsilon());
    }
}
