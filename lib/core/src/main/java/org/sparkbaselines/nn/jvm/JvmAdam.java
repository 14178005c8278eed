package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.SPECIES;

import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * TensorFlow's Adam ({@link AdamConfig}): bias correction folded into the rate,
 * {@code lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)}, and epsilon outside the square root,
 * {@code w -= lr_t m / (sqrt(v) + epsilon)}. State: {@code adam/m/<param>}, {@code adam/v/<param>}
 * and {@code adam/step} (one float, exact up to 2^24 steps).
 */
final class JvmAdam extends JvmOptimizer {
    static final String STEP = "adam/step";
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
        correctedRate = (float) (learningRate * Math.sqrt(1 - Math.pow(config.beta2(), step)) / (1 - Math.pow(config.beta1(), step)));
    }

    @Override
    void update(int p, float gradientScale) {
        Parameter parameter = parameters[p];
        update(parameter.values, parameter.grads, slots[0][p], slots[1][p], gradientScale, (float) (1 - config.beta1()),
                (float) (1 - config.beta2()), correctedRate, (float) config.epsilon());
    }

    /** TensorFlow's ApplyAdam: {@code m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); w -= lr_t m / (sqrt(v) + eps)}. */
    private static void update(float[] w, float[] grads, float[] m, float[] v, float gradientScale, float oneMinusBeta1, float oneMinusBeta2,
            float rate, float epsilon) {
        FloatVector mDecay = FloatVector.broadcast(SPECIES, oneMinusBeta1);
        FloatVector vDecay = FloatVector.broadcast(SPECIES, oneMinusBeta2);
        FloatVector negativeRate = FloatVector.broadcast(SPECIES, -rate);
        for (int i = 0; i < w.length; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, grads, i).mul(gradientScale);
            FloatVector mi = FloatVector.fromArray(SPECIES, m, i);
            FloatVector vi = FloatVector.fromArray(SPECIES, v, i);
            mi = g.sub(mi).fma(mDecay, mi);
            vi = g.fma(g, vi.neg()).fma(vDecay, vi);
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector wi = FloatVector.fromArray(SPECIES, w, i);
            mi.div(vi.sqrt().add(epsilon)).fma(negativeRate, wi).intoArray(w, i);
        }
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = super.state();
        state.put(STEP, new float[] {step});
        return state;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        float[] savedStep = requireEntry(state, STEP);
        if (savedStep.length != 1 || !(savedStep[0] >= 0)) {
            throw new IllegalArgumentException("optimizer state '" + STEP + "' needs one non-negative value, got " + savedStep.length + " values");
        }
        super.loadState(state);
        step = (long) savedStep[0];
    }
}
