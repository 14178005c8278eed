package org.sparkbaselines.algos.gail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.tape.Dense;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.RunningMeanStd;

/**
 * GAIL's discriminator, the reference's {@code TransitionClassifier}: a transition {@code (s, a)} enters as the
 * observation normalized by running statistics ({@code (s - mean) / sqrt(max(var, 1e-2))}, the reference's MPI
 * running mean with a prior weight of 1e-2, updated from every policy and expert batch it trains on) followed by
 * the action (one-hot for a Discrete space), then two tanh layers of {@code hidden_size_adversary} units and one
 * logit {@code D(s, a)}, the log-odds that the transition is the expert's. Layers are Glorot-uniform with zero biases,
 * under the reference's names ({@code adversary/fully_connected/kernel:0}, {@code adversary/fully_connected_1/...}).
 * <pre>
 *   L = BCE(D(policy), 0) + BCE(D(expert), 1) - adversary_entcoeff · mean(H(Bernoulli(σ(D))))     (over both batches)
 *   reward(s, a) = -log(1 - σ(D(s, a)) + 1e-8)
 * </pre>
 */
public final class Discriminator {
    static final String SCOPE = "adversary";
    static final String OBS_MEAN = SCOPE + "/obfilter/mean:0";
    static final String OBS_VAR = SCOPE + "/obfilter/var:0";
    static final String OBS_COUNT = SCOPE + "/obfilter/count:0";
    private static final double STATISTICS_EPSILON = 1e-2;

    private final int obsDim;
    private final int actionInputs;
    private final boolean discrete;
    private final List<Dense> layers = new ArrayList<>();
    private final RunningMeanStd obsStatistics;
    private final TapeAdam adam;
    private final double entcoeff;
    private final Tape tape = new Tape();
    private final float[] mean;
    private final float[] std;
    /** The network input rows, reused (the tape copies them). */
    private float[] input = new float[0];

    /** What one training step measured: the reference's {@code generator_loss, expert_loss, entropy} and accuracies. */
    public record Losses(double generator, double expert, double entropy, double generatorAccuracy, double expertAccuracy) {
    }

    Discriminator(Space observationSpace, Space actionSpace, int hiddenSize, double entcoeff, long seed) {
        if (!(actionSpace instanceof Box || actionSpace instanceof Discrete)) {
            throw new IllegalArgumentException("GAIL's discriminator takes Box or Discrete actions (as the reference), not " + actionSpace);
        }
        this.obsDim = observationSpace.flatDim();
        this.discrete = actionSpace instanceof Discrete;
        this.actionInputs = discrete ? ((Discrete) actionSpace).n() : actionSpace.flatDim();
        this.entcoeff = entcoeff;
        SplittableRandom random = new SplittableRandom(seed);
        layers.add(Dense.glorot(SCOPE + "/fully_connected", obsDim + actionInputs, hiddenSize, Activation.TANH, random));
        layers.add(Dense.glorot(SCOPE + "/fully_connected_1", hiddenSize, hiddenSize, Activation.TANH, random));
        layers.add(Dense.glorot(SCOPE + "/fully_connected_2", hiddenSize, 1, Activation.LINEAR, random));
        this.obsStatistics = new RunningMeanStd(obsDim, STATISTICS_EPSILON);
        this.adam = new TapeAdam(variables(), AdamConfig.DEFAULT);
        this.mean = new float[obsDim];
        this.std = new float[obsDim];
        refreshStatistics();
    }

    /** The parameter names and shapes for these spaces, without building the network. */
    static LinkedHashMap<String, int[]> parameterShapes(Space observationSpace, Space actionSpace, int hiddenSize) {
        int obs = observationSpace.flatDim();
        int in = obs + (actionSpace instanceof Discrete d ? d.n() : actionSpace.flatDim());
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        int[][] dims = {{in, hiddenSize}, {hiddenSize, hiddenSize}, {hiddenSize, 1}};
        String[] names = {"fully_connected", "fully_connected_1", "fully_connected_2"};
        for (int i = 0; i < 3; i++) {
            shapes.put(SCOPE + "/" + names[i] + "/kernel:0", dims[i]);
            shapes.put(SCOPE + "/" + names[i] + "/bias:0", new int[] {dims[i][1]});
        }
        shapes.put(OBS_MEAN, new int[] {obs});
        shapes.put(OBS_VAR, new int[] {obs});
        shapes.put(OBS_COUNT, new int[] {1});
        return shapes;
    }

    List<Variable> variables() {
        return Dense.variables(layers);
    }

    /** The network's parameters and the running statistics, by name. */
    LinkedHashMap<String, float[]> getParameters() {
        LinkedHashMap<String, float[]> out = Variables.values(variables());
        out.put(OBS_MEAN, toFloats(obsStatistics.mean()));
        out.put(OBS_VAR, toFloats(obsStatistics.var()));
        out.put(OBS_COUNT, new float[] {(float) obsStatistics.count()});
        return out;
    }

    /** Overwrites the named parameters and statistics (all of them must be given). */
    void setParameters(Map<String, float[]> values) {
        Map<String, float[]> network = new LinkedHashMap<>(values);
        network.keySet().removeAll(List.of(OBS_MEAN, OBS_VAR, OBS_COUNT));
        Variables.assign(variables(), network);
        obsStatistics.copyFrom(new RunningMeanStd(toDoubles(values.get(OBS_MEAN)), toDoubles(values.get(OBS_VAR)), values.get(OBS_COUNT)[0]));
        refreshStatistics();
    }

    TapeAdam optimizer() {
        return adam;
    }

    /** The logits {@code D(s, a)} of {@code rows} transitions on {@code t}. */
    Tensor logits(Tape t, float[][] observations, float[][] actions, int rows) {
        int width = obsDim + actionInputs;
        if (input.length < rows * width) {
            input = new float[rows * width];
        }
        java.util.Arrays.fill(input, 0, rows * width, 0f);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < obsDim; j++) {
                input[i * width + j] = (observations[i][j] - mean[j]) / std[j];
            }
            if (discrete) {
                int action = (int) actions[i][0];
                if (action < 0 || action >= actionInputs) {
                    throw new IllegalArgumentException("action " + actions[i][0] + " is outside Discrete(" + actionInputs + ")");
                }
                input[i * width + obsDim + action] = 1f;
            } else {
                System.arraycopy(actions[i], 0, input, i * width + obsDim, actionInputs);
            }
        }
        return Dense.forward(t, layers, t.constant(input, rows, width));
    }

    /** The policy's reward {@code -log(1 - σ(D(s, a)) + 1e-8)} of each transition, into {@code out}. */
    void rewards(float[][] observations, float[][] actions, int rows, double[] out) {
        tape.reset();
        Tensor logits = logits(tape, observations, actions, rows);
        for (int i = 0; i < rows; i++) {
            double d = 1 / (1 + Math.exp(-logits.get(i, 0)));
            out[i] = -Math.log(1 - d + 1e-8);
        }
    }

    /** The loss above and its parts on {@code t} (reset first), at the current statistics. */
    record Loss(Tensor total, Tensor generatorLogits, Tensor expertLogits, Tensor generator, Tensor expert, Tensor entropy) {
    }

    Loss loss(Tape t, float[][] policyObs, float[][] policyActions, float[][] expertObs, float[][] expertActions, int rows) {
        t.reset();
        Tensor generatorLogits = logits(t, policyObs, policyActions, rows);
        Tensor expertLogits = logits(t, expertObs, expertActions, rows);
        // sigmoid cross-entropy with logits: label 0 gives softplus(x), label 1 gives softplus(-x).
        Tensor generator = t.mean(t.softplus(generatorLogits));
        Tensor expert = t.mean(t.softplus(t.scale(expertLogits, -1f)));
        Tensor entropy = t.scale(t.add(t.sum(bernoulliEntropy(t, generatorLogits)), t.sum(bernoulliEntropy(t, expertLogits))), 0.5f / rows);
        Tensor total = t.add(t.add(generator, expert), t.scale(entropy, (float) -entcoeff));
        return new Loss(total, generatorLogits, expertLogits, generator, expert, entropy);
    }

    /**
     * One Adam step ({@code stepsize}) on the loss for a policy and an expert batch, the running statistics updated
     * first from both (as the reference).
     */
    Losses train(float[][] policyObs, float[][] policyActions, float[][] expertObs, float[][] expertActions, int rows, double stepsize) {
        obsStatistics.update(java.util.Arrays.copyOf(policyObs, rows));
        obsStatistics.update(java.util.Arrays.copyOf(expertObs, rows));
        refreshStatistics();
        Variables.zeroGrad(variables());
        Loss l = loss(tape, policyObs, policyActions, expertObs, expertActions, rows);
        tape.backward(l.total());
        adam.step(stepsize, Double.NaN);
        return new Losses(l.generator().item(), l.expert().item(), l.entropy().item(), accuracy(l.generatorLogits(), false),
                accuracy(l.expertLogits(), true));
    }

    /** {@code softplus(x) - σ(x) x}, the entropy of a Bernoulli with logit {@code x}. */
    private static Tensor bernoulliEntropy(Tape t, Tensor logits) {
        return t.subtract(t.softplus(logits), t.multiply(t.sigmoid(logits), logits));
    }

    private static double accuracy(Tensor logits, boolean expert) {
        int right = 0;
        for (int i = 0; i < logits.rows(); i++) {
            if (expert ? logits.get(i, 0) > 0 : logits.get(i, 0) < 0) {
                right++;
            }
        }
        return (double) right / logits.rows();
    }

    private void refreshStatistics() {
        double[] m = obsStatistics.mean();
        double[] v = obsStatistics.var();
        for (int j = 0; j < obsDim; j++) {
            mean[j] = (float) m[j];
            std[j] = (float) Math.sqrt(Math.max(v[j], STATISTICS_EPSILON));
        }
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
