package org.sparkbaselines.nn.tape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.MlpSpec;

/**
 * The dense layers of an {@link MlpSpec} as variables for a {@link Tape}, named as every backend names
 * them ({@code <layer>/w:0} of shape {@code (in, units)}, {@code <layer>/b:0}) and initialised alike
 * (orthogonal weights with each layer's gain, layer {@code i} from {@code SplittableRandom(seed + i)}; zero
 * biases), so the same spec and seed give the same network as {@link org.sparkbaselines.nn.Mlp}.
 */
public final class DenseStack {
    private final MlpSpec spec;
    private final List<Variable> weights = new ArrayList<>();
    private final List<Variable> biases = new ArrayList<>();

    public DenseStack(MlpSpec spec, long seed) {
        this.spec = spec;
        int in = spec.inputDim();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            Variable w = new Variable(layer.name() + "/w:0", in, layer.units());
            System.arraycopy(Initializers.orthogonal(in, layer.units(), layer.initGain(), new SplittableRandom(seed + i)), 0, w.value, 0,
                    w.value.length);
            weights.add(w);
            biases.add(Variable.vector(layer.name() + "/b:0", layer.units()));
            in = layer.units();
        }
    }

    public MlpSpec spec() {
        return spec;
    }

    /** The layers applied to {@code input}, each with its activation. */
    public Tensor forward(Tape tape, Tensor input) {
        Tensor x = input;
        for (int i = 0; i < weights.size(); i++) {
            x = tape.dense(x, weights.get(i), biases.get(i), spec.layers().get(i).activation());
        }
        return x;
    }

    /** The variables in {@link MlpSpec#parameterShapes()} order. */
    public List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            out.add(weights.get(i));
            out.add(biases.get(i));
        }
        return out;
    }

    /** Copies of the values by name, row-major (a bias as a vector). */
    public Map<String, float[]> getParameters() {
        return Variables.values(variables());
    }

    /** Overwrites the named values; names not given keep theirs. A name or size it does not have is an error naming it. */
    public void setParameters(Map<String, float[]> values) {
        Variables.assign(variables(), values);
    }
}
