package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.SPECIES;

import java.util.List;
import jdk.incubator.vector.FloatVector;
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
        update(parameter.values, parameter.grads, slots[0][p], slots[1][p], gradientScale, (float) (1 - config.alpha()),
                (float) config.momentum(), rate, (float) config.epsilon());
    }

    private static void update(float[] w, float[] grads, float[] ms, float[] mom, float gradientScale, float oneMinusAlpha, float momentum,
            float rate, float epsilon) {
        FloatVector msDecay = FloatVector.broadcast(SPECIES, oneMinusAlpha);
        FloatVector momentumFactor = FloatVector.broadcast(SPECIES, momentum);
        for (int i = 0; i < w.length; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, grads, i).mul(gradientScale);
            FloatVector msi = FloatVector.fromArray(SPECIES, ms, i);
            msi = g.fma(g, msi.neg()).fma(msDecay, msi);
            msi.intoArray(ms, i);
            FloatVector step = g.mul(rate).div(msi.add(epsilon).sqrt());
            FloatVector momi = FloatVector.fromArray(SPECIES, mom, i).fma(momentumFactor, step);
            momi.intoArray(mom, i);
            FloatVector.fromArray(SPECIES, w, i).sub(momi).intoArray(w, i);
        }
    }
}
