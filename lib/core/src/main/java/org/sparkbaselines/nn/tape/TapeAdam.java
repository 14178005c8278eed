package org.sparkbaselines.nn.tape;

import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.jvm.FlatKernels;

/**
 * TensorFlow's Adam ({@link AdamConfig}) over one group of {@link Variable}s, with the JVM backend's kernel:
 * {@code lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code w -= lr_t m / (sqrt(v) + epsilon)}, after global-norm
 * clipping over the group. State: {@code adam/m/<variable>}, {@code adam/v/<variable>} and {@code adam/step}.
 */
public final class TapeAdam extends TapeOptimizer {
    private final AdamConfig config;
    private long step;
    private float rate;

    public TapeAdam(List<Variable> variables, AdamConfig config) {
        super("adam", variables, new String[] {"m", "v"}, new float[] {0f, 0f});
        this.config = config;
    }

    @Override
    void beginStep(double learningRate) {
        step++;
        rate = (float) config.correctedRate(learningRate, step);
    }

    @Override
    void update(int v, int from, int to, float gradientScale) {
        Variable variable = variables.get(v);
        FlatKernels.adamUpdate(variable.value, variable.grad, slots[0][v], slots[1][v], from, to, gradientScale,
                (float) (1 - config.beta1()), (float) (1 - config.beta2()), rate, (float) config.epsilon());
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
