package org.sparkbaselines.nn.nd4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.Trainable;

/**
 * What the ND4J backend's optimizers share: TensorFlow's {@code clip_by_global_norm} over all
 * gradients, per-parameter moment vectors in each trainable's flat layout (so an update is a few
 * whole-vector ND4J ops, on the GPU under {@code -Pcuda}), and the named state for model files:
 * {@code <prefix>/<moment>/<parameter name>}, row-major like the parameters.
 */
abstract sealed class Nd4jOptimizer implements Optimizer permits Nd4jAdam, Nd4jRmsProp {
    private final String prefix;
    private final String[] momentNames;
    private final List<Nd4jTrainable> trainables;
    /** {@code moments.get(t)[k]}: moment {@code k} of trainable {@code t}, a flat vector in its layout. */
    private final List<INDArray[]> moments = new ArrayList<>();
    /** Per trainable: a copy of the (clipped) gradient that the update may overwrite, and scratch space. */
    private final List<INDArray> workingGradients = new ArrayList<>();
    private final List<INDArray> scratch = new ArrayList<>();

    /**
     * @param prefix state-name prefix, e.g. {@code "adam"}
     * @param momentNames the per-parameter state vectors, e.g. {@code "m", "v"}
     * @param momentInitialValues their starting values (RMSProp's mean square starts at one)
     */
    Nd4jOptimizer(String prefix, List<? extends Trainable> params, String[] momentNames, double[] momentInitialValues) {
        this.prefix = prefix;
        this.momentNames = momentNames.clone();
        this.trainables = requireNd4jTrainables(params);
        for (Nd4jTrainable trainable : trainables) {
            long length = trainable.flatParameters().length();
            INDArray[] perMoment = new INDArray[momentNames.length];
            for (int k = 0; k < momentNames.length; k++) {
                perMoment[k] = Nd4j.valueArrayOf(new long[] {length}, momentInitialValues[k], DataType.FLOAT);
            }
            moments.add(perMoment);
            workingGradients.add(Nd4j.zeros(DataType.FLOAT, length));
            scratch.add(Nd4j.zeros(DataType.FLOAT, length));
        }
    }

    private static List<Nd4jTrainable> requireNd4jTrainables(List<? extends Trainable> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one Trainable");
        }
        List<Nd4jTrainable> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Trainable param : params) {
            if (!(param instanceof Nd4jTrainable trainable)) {
                throw new IllegalArgumentException("the nd4j backend's optimizers only update nd4j objects, got a "
                        + (param == null ? "null" : param.getClass().getName()) + "; build every network and parameter vector with Nd4jBackend.instance()");
            }
            for (String name : trainable.parameterNames()) {
                if (!names.add(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is given to the optimizer twice");
                }
            }
            out.add(trainable);
        }
        return List.copyOf(out);
    }

    @Override
    public final double step(double learningRate, double maxGradNorm) {
        double sumOfSquares = 0;
        for (Nd4jTrainable trainable : trainables) {
            // BLAS nrm2: one call, where INDArray.norm2Number() costs a generic reduction (~20x slower here).
            double norm = Nd4j.getBlasWrapper().nrm2(trainable.flatGradients());
            sumOfSquares += norm * norm;
        }
        double globalNorm = Math.sqrt(sumOfSquares);
        // TF's clip_by_global_norm: scale by clip / max(norm, clip), i.e. only when the norm exceeds clip.
        boolean clip = maxGradNorm > 0 && Double.isFinite(maxGradNorm) && globalNorm > maxGradNorm;
        beginStep();
        for (int t = 0; t < trainables.size(); t++) {
            Nd4jTrainable trainable = trainables.get(t);
            INDArray gradient = workingGradients.get(t).assign(trainable.flatGradients());
            if (clip) {
                gradient.muli(maxGradNorm / globalNorm);
            }
            update(trainable.flatParameters(), gradient, moments.get(t), scratch.get(t), learningRate);
        }
        return globalNorm;
    }

    /** Called once per {@link #step} before the per-trainable updates; Adam counts steps here. */
    void beginStep() {
    }

    /**
     * Applies one update to {@code parameters} in place.
     *
     * @param gradient a copy of the (clipped) gradient, free to overwrite
     * @param moments this trainable's moment vectors, in constructor order; updated in place
     * @param scratch a vector of the same length to use freely
     */
    abstract void update(INDArray parameters, INDArray gradient, INDArray[] moments, INDArray scratch, double learningRate);

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (int t = 0; t < trainables.size(); t++) {
            for (ParameterSlot slot : trainables.get(t).slots()) {
                for (int k = 0; k < momentNames.length; k++) {
                    state.put(stateName(k, slot), slot.readRowMajor(moments.get(t)[k]));
                }
            }
        }
        return state;
    }

    /** Restores the moments; entries this optimizer does not own are ignored, so one map can serve several optimizers. */
    @Override
    public void loadState(Map<String, float[]> state) {
        // Check everything first so a bad map leaves the state untouched.
        for (Nd4jTrainable trainable : trainables) {
            for (ParameterSlot slot : trainable.slots()) {
                for (int k = 0; k < momentNames.length; k++) {
                    Nd4jTrainable.checkSize(stateName(k, slot), requireEntry(state, stateName(k, slot)), slot.length());
                }
            }
        }
        for (int t = 0; t < trainables.size(); t++) {
            for (ParameterSlot slot : trainables.get(t).slots()) {
                for (int k = 0; k < momentNames.length; k++) {
                    slot.writeRowMajor(moments.get(t)[k], state.get(stateName(k, slot)));
                }
            }
        }
    }

    /** The entry {@code name} of {@code state}; an error naming it when missing. */
    static float[] requireEntry(Map<String, float[]> state, String name) {
        float[] values = state.get(name);
        if (values == null) {
            throw new IllegalArgumentException("optimizer state has no entry '" + name + "'");
        }
        return values;
    }

    private String stateName(int moment, ParameterSlot slot) {
        return prefix + "/" + momentNames[moment] + "/" + slot.name();
    }
}
