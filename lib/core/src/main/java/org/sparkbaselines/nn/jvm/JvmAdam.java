package org.sparkbaselines.nn.jvm;

import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * TensorFlow's Adam ({@link AdamConfig}): bias correction folded into the rate,
 * {@code lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)}, and epsilon outside the square root,
 * {@code w -= lr_t m / (sqrt(v) + epsilon)}. State: {@code adam/m/<param>}, {@code adam/v/<param>}
 * and {@code adam/step} (one float, exact up to 2^24 steps).
 */
final class JvmAdam extends JvmOptimizer {
    private final AdamConfig config;
    private long step;
    private float correctedRate;

    JvmAdam(List<? extends Trainable> params, AdamConfig config) {
        super("adam", params, new String[] {"m", "v"}, new float[] {0f, 0f});
        this.config = config;
    }

    @Override
    void beginStep(double learningRate) {
        step++;
        correctedRate = (float) config.correctedRate(learningRate, step);
    }

    @Override
    void update(int p, float gradientScale) {
        Parameter parameter = parameters[p];
        FlatKernels.adamUpdate(parameter.values, parameter.grads, slots[0][p], slots[1][p], 0, parameter.values.length, gradientScale,
                (float) (1 - config.beta1()), (float) (1 - config.beta2()), correctedRate, (float) config.epsilon());
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = super.state();
        state.put(AdamConfig.STEP_STATE, new float[] {step});
        return state;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        long savedStep = AdamConfig.savedStep(state);
        super.loadState(state);
        step = savedStep;
    }
}
