package org.sparkbaselines.nn.nd4j;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * TensorFlow's Adam ({@link AdamConfig}) with ND4J's native Adam op: {@code m = b1 m + (1-b1) g},
 * {@code v = b2 v + (1-b2) g^2}, {@code w -= lr sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)}.
 * State: {@code adam/m/<param>}, {@code adam/v/<param>} and {@code adam/step} (one float, exact up to 2^24 steps).
 */
final class Nd4jAdam extends Nd4jOptimizer {
    private final AdamConfig config;
    private long step;

    Nd4jAdam(List<? extends Trainable> params, AdamConfig config) {
        super("adam", params, new String[] {"m", "v"}, new double[] {0, 0});
        this.config = config;
    }

    @Override
    void beginStep() {
        step++;
    }

    /** One native {@code adam_updater} op (moments and step in one kernel) instead of a dozen element-wise ops. */
    @Override
    void update(INDArray parameters, INDArray gradient, INDArray[] moments, INDArray scratch, double learningRate) {
        // In place: gradient becomes the step lr_t * m / (sqrt(v) + eps); the op counts iterations from 0.
        Nd4j.exec(new AdamUpdater(gradient, moments[1], moments[0], learningRate, config.beta1(), config.beta2(), config.epsilon(),
                Math.toIntExact(step - 1)));
        // The op substitutes epsilon for a zero step size; TF's Adam leaves the weights alone then.
        if (learningRate != 0) {
            parameters.subi(gradient);
        }
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
