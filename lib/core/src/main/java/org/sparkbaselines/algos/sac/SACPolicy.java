package org.sparkbaselines.algos.sac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.distributions.SquashedDiagGaussian;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.Dense;
import org.sparkbaselines.nn.tape.MlpWithHead;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ContinuousPolicyKwargs;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.BoxTapePolicy;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * SAC's policy as the reference's {@code sac.policies.FeedForwardPolicy} builds it: a squashed Gaussian actor
 * {@code model/pi} (hidden layers {@code fc0, fc1, ...}, then {@code dense} for the mean and {@code dense_1} for the
 * state-dependent log std, clipped to [-20, 2]), the value function {@code model/values_fn/vf} and twin critics
 * {@code qf1}, {@code qf2} over {@code concat(observation, action)}, and the target value function
 * {@code target/values_fn/vf}; Glorot-uniform kernels, zero biases; and {@code log_ent_coef}, the entropy
 * coefficient's log (learned or fixed). Deterministic actions are {@code tanh(mean)}; stochastic ones
 * {@code tanh(mean + std * N(0, 1))}; both rescaled to the Box.
 */
public final class SACPolicy extends BoxTapePolicy {
    static final float LOG_STD_MIN = -20f;
    static final float LOG_STD_MAX = 2f;
    static final String LOG_ENT_COEF = "log_ent_coef:0";

    /** The actor: hidden layers and its two heads. */
    record Actor(List<Dense> hidden, Dense mean, Dense logStd) {
        /** The mean and the clipped log std for the input rows. */
        Tensor[] forward(Tape t, Tensor s) {
            Tensor h = Dense.forward(t, hidden, s);
            return new Tensor[] {mean.forward(t, h), t.clip(logStd.forward(t, h), LOG_STD_MIN, LOG_STD_MAX)};
        }

        List<Variable> variables() {
            List<Variable> out = new ArrayList<>(Dense.variables(hidden));
            out.addAll(Dense.variables(List.of(mean, logStd)));
            return out;
        }
    }

    final Actor actor;
    final MlpWithHead vf;
    final MlpWithHead qf1;
    final MlpWithHead qf2;
    final MlpWithHead vfTarget;
    /** {@code log(ent_coef)}: learned, or holding the fixed coefficient. */
    final Variable logEntCoef;
    private final SquashedDiagGaussian squashed = new SquashedDiagGaussian();
    private final SplittableRandom random;
    private float[] noise = new float[0];

    /** @param entCoef the entropy coefficient, or where a learned one starts */
    SACPolicy(String policyName, Space observationSpace, Space actionSpace, Map<String, ?> policyKwargs, double entCoef, long seed) {
        super("SAC", observationSpace, actionSpace);
        ContinuousPolicyKwargs kwargs = ContinuousPolicyKwargs.of(policyName, policyKwargs);
        int obs = encoder.inputDim();
        int act = this.actionSpace.flatDim();
        SplittableRandom init = new SplittableRandom(seed);
        List<Dense> hidden = kwargs.hidden("model/pi", obs, init);
        int width = kwargs.layers().isEmpty() ? obs : kwargs.layers().get(kwargs.layers().size() - 1);
        this.actor = new Actor(hidden, Dense.glorot("model/pi/dense", width, act, Activation.LINEAR, init),
                Dense.glorot("model/pi/dense_1", width, act, Activation.LINEAR, init));
        this.vf = kwargs.network("model/values_fn/vf", obs, "vf", 1, Activation.LINEAR, init);
        this.qf1 = kwargs.network("model/values_fn/qf1", obs + act, "qf1", 1, Activation.LINEAR, init);
        this.qf2 = kwargs.network("model/values_fn/qf2", obs + act, "qf2", 1, Activation.LINEAR, init);
        this.vfTarget = kwargs.network("target/values_fn/vf", obs, "vf", 1, Activation.LINEAR, init);
        Variables.copy(vf.variables(), vfTarget.variables());
        this.logEntCoef = Variable.vector(LOG_ENT_COEF, 1);
        this.logEntCoef.values()[0] = (float) Math.log(entCoef);
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** The parameter shapes of a policy of these arguments, worked out without building it. */
    public static LinkedHashMap<String, int[]> parameterShapes(String policyName, Space observationSpace, Space actionSpace,
            Map<String, ?> policyKwargs) {
        ContinuousPolicyKwargs kwargs = ContinuousPolicyKwargs.of(policyName, policyKwargs);
        int obs = new ObservationEncoder(observationSpace).inputDim();
        int act = actionSpace.flatDim();
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        kwargs.addShapes(shapes, "model/pi", obs, "dense", act);
        int width = kwargs.layers().isEmpty() ? obs : kwargs.layers().get(kwargs.layers().size() - 1);
        shapes.put("model/pi/dense_1/kernel:0", new int[] {width, act});
        shapes.put("model/pi/dense_1/bias:0", new int[] {act});
        kwargs.addShapes(shapes, "model/values_fn/vf", obs, "vf", 1);
        kwargs.addShapes(shapes, "model/values_fn/qf1", obs + act, "qf1", 1);
        kwargs.addShapes(shapes, "model/values_fn/qf2", obs + act, "qf2", 1);
        shapes.put(LOG_ENT_COEF, new int[] {1});
        kwargs.addShapes(shapes, "target/values_fn/vf", obs, "vf", 1);
        return shapes;
    }

    /** The value-function variables the value optimizer updates: V, Q1, Q2. */
    List<Variable> valueVariables() {
        List<Variable> out = new ArrayList<>(vf.variables());
        out.addAll(qf1.variables());
        out.addAll(qf2.variables());
        return out;
    }

    /**
     * The sampled action in [-1, 1] for one observation, {@code tanh(mean + std * noise)} with {@code noise} standard normal
     * (one per action); into {@code out}, no allocation once warm.
     */
    float[] act(float[] observation, float[] noise, float[] out) {
        Tensor a = action(inference, inferenceInput(observation), noise, 1);
        System.arraycopy(a.values(), 0, out, 0, out.length);
        return out;
    }

    /** The sampled action {@code tanh(mean + std * noise)} for {@code n} rows. */
    private Tensor action(Tape t, Tensor s, float[] noise, int n) {
        Tensor[] meanAndLogStd = actor.forward(t, s);
        return squashed.sample(t, meanAndLogStd[0], meanAndLogStd[1], t.constant(noise, n, actionSpace.flatDim())).action();
    }

    /**
     * Actions rescaled to the Box: deterministic ones, {@code tanh(mean)}, in double precision as the reference's agents were
     * evaluated; sampled ones on the inference tape.
     */
    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        int n = observations.length;
        if (deterministic) {
            double[][] inputs = doubleInputs(observations);
            float[][] actions = new float[n][];
            for (int b = 0; b < n; b++) {
                double[] mean = actor.mean().apply(Dense.apply(actor.hidden(), inputs[b]));
                for (int j = 0; j < mean.length; j++) {
                    mean[j] = Math.tanh(mean[j]);
                }
                actions[b] = unscaled(mean);
            }
            return actions;
        }
        int act = actionSpace.flatDim();
        if (noise.length < n * act) {
            noise = new float[n * act];
        }
        for (int i = 0; i < n * act; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return actionSpace.unscaleRows(action(inference, inferenceInput(observations), noise, n).values(), n);
    }

    @Override
    protected List<Variable> variables() {
        List<Variable> all = new ArrayList<>(actor.variables());
        all.addAll(valueVariables());
        all.add(logEntCoef);
        all.addAll(vfTarget.variables());
        return all;
    }
}
