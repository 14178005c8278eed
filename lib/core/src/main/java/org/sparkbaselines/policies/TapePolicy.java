package org.sparkbaselines.policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.spaces.Space;

/**
 * What the policies on the autodiff engine share: the observation encoding (one {@link ObservationEncoder} per thread,
 * as each encodes into a buffer of its own), an inference tape replayed for every prediction (nothing allocated once
 * warm), and named parameters: every {@link Variable} of {@link #variables()}, in the order model files keep them.
 */
public abstract class TapePolicy implements Policy {
    protected final Space observationSpace;
    protected final ObservationEncoder encoder;
    /** The tape predictions run on (one caller at a time, as the reference's session). */
    protected final Tape inference = new Tape();
    private float[] rows = new float[0];

    protected TapePolicy(Space observationSpace) {
        this.observationSpace = observationSpace;
        this.encoder = new ObservationEncoder(observationSpace);
    }

    /** Every variable, online networks first, in the order of {@code parameter_list.json}. */
    protected abstract List<Variable> variables();

    /** An encoder for another thread's tapes. */
    public ObservationEncoder newEncoder() {
        return new ObservationEncoder(observationSpace);
    }

    /** The network input on {@code t} for {@code batch} observations given row-major, through {@code encoder}. */
    public static Tensor input(Tape t, ObservationEncoder encoder, float[] observations, int batch) {
        return t.constant(encoder.encodeFlat(observations, batch), batch, encoder.inputDim());
    }

    /** The network input on the inference tape (reset first) for the given observation rows, each checked. */
    protected final Tensor inferenceInput(float[][] observations) {
        int dim = observationSpace.flatDim();
        if (rows.length < observations.length * dim) {
            rows = new float[observations.length * dim];
        }
        for (int b = 0; b < observations.length; b++) {
            if (observations[b].length != dim) {
                throw new IllegalArgumentException("observation " + b + " has " + observations[b].length + " values; " + observationSpace
                        + " needs " + dim);
            }
            System.arraycopy(observations[b], 0, rows, b * dim, dim);
        }
        inference.reset();
        return input(inference, encoder, rows, observations.length);
    }

    /** Each observation's network input in double precision (checked and encoded as on the tapes). */
    protected final double[][] doubleInputs(float[][] observations) {
        double[][] out = new double[observations.length][];
        float[][] encoded = encoder.encode(observations, observations.length);
        for (int b = 0; b < observations.length; b++) {
            out[b] = new double[encoder.inputDim()];
            for (int j = 0; j < out[b].length; j++) {
                out[b][j] = encoded[b][j];
            }
        }
        return out;
    }

    /** The network input on the inference tape (reset first) for one observation. */
    protected final Tensor inferenceInput(float[] observation) {
        inference.reset();
        return input(inference, encoder, observation, 1);
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public LinkedHashMap<String, float[]> getParameters() {
        return Variables.values(variables());
    }

    @Override
    public Map<String, int[]> parameterShapes() {
        return Variables.shapes(variables());
    }

    @Override
    public void assignParameters(Map<String, float[]> values) {
        Variables.assign(variables(), values);
    }
}
