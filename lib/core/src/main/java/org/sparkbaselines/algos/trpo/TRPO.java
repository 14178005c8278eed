package org.sparkbaselines.algos.trpo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OnPolicyAlgorithm;
import org.sparkbaselines.algos.RolloutOnTape;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.common.ConjugateGradient;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.distributions.DifferentiableDistribution;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ActorCriticOnTape;
import org.sparkbaselines.sb2.Sb2Models;
import org.sparkbaselines.spaces.Space;

/**
 * Trust Region Policy Optimization (Schulman et al. 2015), the reference's {@code TRPO}. Each iteration, on a
 * rollout of {@code timesteps_per_batch} steps (per env: rollout workers on executors play the reference's MPI
 * workers):
 * <pre>
 *   A     = standardize(GAE advantages)
 *   L(θ)  = mean(π_θ(a|s) / π_old(a|s) · A) + entcoeff · mean(entropy(π_θ))      (the surrogate gain)
 *   g     = ∇L(θ_old)
 *   s     = CG(F + cg_damping·I, g)        F v: Fisher-vector products on every 5th row
 *   β     = sqrt(2 max_kl / sᵀ(F + cg_damping·I)s)
 *   θ     = θ_old + 2^-k β s,  the first k < 10 with L finite, L ≥ L(θ_old) and mean KL(π_old || π_θ) ≤ 1.5 max_kl
 *           (else θ_old)
 *   V     fitted to the TD(λ) returns: vf_iters epochs of Adam (vf_stepsize) on shuffled minibatches of 128
 * </pre>
 * The natural-gradient step moves every parameter outside the value layers (shared layers, policy layers, log
 * std); the value fit moves every parameter outside the policy layers (shared and value layers), as the
 * reference splits them. Fisher-vector products come from the engine's forward mode and one backward pass
 * ({@link DifferentiableDistribution#fisherVectorProduct}). As the reference, {@code num_timesteps} advances per
 * rollout and {@code learn(total)} runs rollouts until {@code total} steps are reached.
 */
public class TRPO extends OnPolicyAlgorithm<TRPO.Config> {
    /** The value function's minibatch size, fixed in the reference. */
    static final int VALUE_BATCH = 128;
    /** Rows between two rows of the Fisher-vector products' subsample (Schulman's thesis, pp. 40-42). */
    static final int FISHER_SUBSAMPLE = 5;
    /** Halvings the line search tries. */
    static final int LINE_SEARCH_STEPS = 10;

    /**
     * TRPO's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param timestepsPerBatch steps per env per iteration, the reference's horizon (1024)
     * @param maxKl the bound on the mean KL divergence of a step (0.01)
     * @param cgIters conjugate-gradient iterations (10)
     * @param lam GAE lambda (0.98)
     * @param entcoeff entropy bonus weight (0.0)
     * @param cgDamping damping added to the Fisher matrix (1e-2)
     * @param vfStepsize the value function's Adam learning rate (3e-4)
     * @param vfIters value-function epochs per iteration (3)
     * @param truncationIsTerminal treat a time-limit truncation as a terminal state, as the reference did, instead
     *        of bootstrapping from the value of the cut-off observation (false: SB3's correction)
     */
    public record Config(double gamma, int timestepsPerBatch, double maxKl, int cgIters, double lam, double entcoeff, double cgDamping,
            double vfStepsize, int vfIters, boolean truncationIsTerminal) {
        public static final Config DEFAULT = new Config(0.99, 1024, 0.01, 10, 0.98, 0.0, 1e-2, 3e-4, 3, false);

        public Config {
            if (timestepsPerBatch < 1 || cgIters < 1 || vfIters < 0) {
                throw new IllegalArgumentException("TRPO needs timesteps_per_batch >= 1, cg_iters >= 1 and vf_iters >= 0");
            }
            if (!(maxKl > 0) || !(cgDamping >= 0) || !(vfStepsize >= 0)) {
                throw new IllegalArgumentException("TRPO needs max_kl > 0, cg_damping >= 0 and vf_stepsize >= 0, got " + maxKl + ", "
                        + cgDamping + ", " + vfStepsize);
            }
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    // Set by makeOptimizer(), which the superclass constructor calls: no initializers, or they would clear them.
    private ActorCriticOnTape onTape;
    private TapeAdam valueAdam;
    private final Tape objectiveTape = new Tape();
    private final Tape fisherTape = new Tape();
    private final Tape valueTape = new Tape();
    private Rollout batch;

    /** TRPO with the reference's defaults. */
    public TRPO(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public TRPO(String policy, Object env, Config config) {
        this(policy, env, config, AlgorithmOptions.DEFAULT);
    }

    public TRPO(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    protected TRPO(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
    }

    /** Loads a TRPO model file; {@code env} may be null (prediction only). */
    public static TRPO load(Path path, Object env) throws IOException {
        return load(path, env, Map.of());
    }

    /** Loads a TRPO model file with some hyperparameters or options replaced. */
    public static TRPO load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "TRPO", OnPolicyAlgorithm::policyParameterShapes,
                (policy, venv, obs, act, hyper, options) -> new TRPO(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    /** Loads a Stable Baselines 2 TRPO agent ({@code .pkl} or {@code .zip}) without running the file's code ({@link Sb2Models#load}). */
    public static TRPO loadSb2(Path path, Object env) throws IOException {
        return (TRPO) Sb2Models.load("trpo", path, env).model();
    }

    @Override
    public String algorithmName() {
        return "TRPO";
    }

    @Override
    public int defaultLogInterval() {
        return 1;
    }

    @Override
    protected boolean mpiStyle() {
        return true;
    }

    @Override
    protected int nSteps() {
        return config.timestepsPerBatch();
    }

    @Override
    protected double gamma() {
        return config.gamma();
    }

    @Override
    protected double gaeLambda() {
        return config.lam();
    }

    @Override
    protected boolean truncationIsTerminal() {
        return config.truncationIsTerminal();
    }

    /** The value function's Adam (the reference's {@code vfadam}: TensorFlow's defaults), over the value variables. */
    @Override
    protected Optimizer makeOptimizer() {
        onTape = new ActorCriticOnTape(policy);
        valueAdam = new TapeAdam(onTape.valueVariables(), AdamConfig.DEFAULT);
        return valueAdam;
    }

    @Override
    protected void update(RolloutBuffer rollout, UpdateProgress progress) {
        onTape.pull(policy);
        if (batch == null || batch.size != rollout.size()) {
            batch = new Rollout(rollout.size(), Variables.size(onTape.policyVariables()));
        }
        batch.take(rollout, onTape, objectiveTape);
        Step step = naturalGradientStep(batch);
        double valueLoss = fitValue(batch);
        onTape.push(policy);

        logger.record("train/optimgain", step.gain());
        logger.record("train/meankl", step.kl());
        logger.record("train/surrgain", step.surrogate());
        logger.record("train/entropy", step.entropy());
        logger.record("train/entloss", config.entcoeff() * step.entropy());
        logger.record("train/step_size", step.stepSize());
        logger.record("train/value_loss", valueLoss);
        logger.record("train/explained_variance", explainedVariance(rollout.values(), rollout.returns()));
    }

    /** What one natural-gradient step ended with; {@code stepSize} 0 when no step was taken. */
    record Step(double gain, double kl, double surrogate, double entropy, double stepSize) {
    }

    /** The surrogate gain and its parts, and the mean KL from the rollout's policy, at the variables' current values. */
    record Objective(Tensor gain, Tensor kl, Tensor surrogate, Tensor entropy) {
    }

    /** The reference's surrogate objective and KL as forward expressions on {@code t} (reset first). */
    Objective objective(Tape t, Rollout r) {
        t.reset();
        DifferentiableDistribution pd = onTape.distribution();
        RolloutOnTape rows = r.rows;
        ActorCriticOnTape.Outputs pi = onTape.forwardPolicy(t, onTape.input(t, rows.observations(), r.size));
        Tensor ratio = t.exp(t.subtract(pd.logProb(t, pi.params(), pi.logStd(), t.constant(rows.actions(), r.size, rows.actionDim())),
                t.column(rows.oldLogProb(), r.size)));
        Tensor surrogate = t.mean(t.multiply(ratio, t.column(rows.advantages(), r.size)));
        Tensor entropy = t.mean(pd.entropy(t, pi.params(), pi.logStd()));
        Tensor gain = t.add(surrogate, t.scale(entropy, (float) config.entcoeff()));
        Tensor kl = t.mean(pd.kl(t, rows.oldParams(t), rows.oldLogStd(t), pi.params(), pi.logStd()));
        return new Objective(gain, kl, surrogate, entropy);
    }

    /** Conjugate gradient on the damped Fisher matrix, then the backtracking line search under the KL bound. */
    Step naturalGradientStep(Rollout r) {
        List<Variable> variables = onTape.policyVariables();
        Variables.zeroGrad(variables);
        Objective before = objective(objectiveTape, r);
        objectiveTape.backward(before.gain());
        double[] gradient = new double[r.parameters];
        Variables.flatGradients(variables, gradient);
        double gainBefore = before.gain().item();
        Step unchanged = new Step(gainBefore, before.kl().item(), before.surrogate().item(), before.entropy().item(), 0);
        if (isZero(gradient)) {
            return unchanged;
        }
        double[] direction = ConjugateGradient.solve((v, out) -> fisherVectorProduct(r, v, out), gradient, config.cgIters(),
                ConjugateGradient.RESIDUAL_TOLERANCE);
        double[] fisherDirection = new double[r.parameters];
        fisherVectorProduct(r, direction, fisherDirection);
        double lagrangeMultiplier = Math.sqrt(Math.abs(0.5 * ConjugateGradient.dot(direction, fisherDirection)) / config.maxKl());
        double[] fullStep = new double[r.parameters];
        for (int i = 0; i < fullStep.length; i++) {
            fullStep[i] = direction[i] / lagrangeMultiplier;
        }
        double[] thetaBefore = new double[r.parameters];
        Variables.flatValues(variables, thetaBefore);
        double stepSize = lineSearch(thetaBefore, fullStep, gainBefore, config.maxKl(), theta -> {
            Variables.setFlatValues(variables, theta);
            Objective after = objective(objectiveTape, r);
            return new double[] {after.gain().item(), after.kl().item()};
        });
        if (stepSize == 0) {
            Variables.setFlatValues(variables, thetaBefore);
            return unchanged;
        }
        Objective after = objective(objectiveTape, r);
        return new Step(after.gain().item(), after.kl().item(), after.surrogate().item(), after.entropy().item(), stepSize);
    }

    /**
     * The reference's backtracking line search: tries {@code theta_before + 2^-k fullStep} for k = 0..9 and keeps the
     * first whose gain and KL ({@code gainAndKl}, which also moves the parameters there) are finite, whose KL is at most
     * {@code 1.5 maxKl} and whose gain is at least {@code gainBefore}.
     *
     * @return the accepted fraction of the full step, or 0 when none is (the caller restores {@code thetaBefore})
     */
    static double lineSearch(double[] thetaBefore, double[] fullStep, double gainBefore, double maxKl,
            java.util.function.Function<double[], double[]> gainAndKl) {
        double[] theta = new double[thetaBefore.length];
        double stepSize = 1.0;
        for (int k = 0; k < LINE_SEARCH_STEPS; k++, stepSize *= 0.5) {
            for (int i = 0; i < theta.length; i++) {
                theta[i] = thetaBefore[i] + fullStep[i] * stepSize;
            }
            double[] after = gainAndKl.apply(theta);
            boolean finite = Double.isFinite(after[0]) && Double.isFinite(after[1]);
            if (finite && after[1] <= maxKl * 1.5 && after[0] - gainBefore >= 0) {
                return stepSize;
            }
        }
        return 0;
    }

    /** {@code out = (F + cg_damping I) v}, {@code F} the Fisher matrix of the policy on every 5th row of the rollout. */
    void fisherVectorProduct(Rollout r, double[] v, double[] out) {
        List<Variable> variables = onTape.policyVariables();
        Variables.setFlatTangents(variables, v);
        Variables.zeroGrad(variables);
        Tape t = fisherTape;
        t.reset();
        ActorCriticOnTape.Outputs pi = onTape.forwardPolicy(t, onTape.input(t, r.subsample, r.subsample.length));
        t.jvp();
        t.backward(onTape.distribution().fisherVectorProduct(t, pi.params(), pi.logStd()));
        Variables.flatGradients(variables, out);
        for (int i = 0; i < out.length; i++) {
            out[i] += config.cgDamping() * v[i];
        }
    }

    /** {@code vf_iters} epochs of Adam on {@code mean((V - R)^2)} over shuffled full minibatches of 128; the last minibatch's loss. */
    double fitValue(Rollout r) {
        List<Variable> variables = onTape.valueVariables();
        double loss = Double.NaN;
        int[] order = r.order;
        for (int epoch = 0; epoch < config.vfIters(); epoch++) {
            shuffle(order, r.size);
            for (int start = 0; start + VALUE_BATCH <= r.size; start += VALUE_BATCH) {
                for (int j = 0; j < VALUE_BATCH; j++) {
                    r.valueObservations[j] = r.rows.observations()[order[start + j]];
                    r.valueReturns[j] = r.rows.returns()[order[start + j]];
                }
                Variables.zeroGrad(variables);
                valueTape.reset();
                Tensor values = onTape.forwardValue(valueTape, onTape.input(valueTape, r.valueObservations, VALUE_BATCH));
                Tensor valueLoss = valueTape.mean(valueTape.squaredError(values, valueTape.column(r.valueReturns, VALUE_BATCH)));
                valueTape.backward(valueLoss);
                valueAdam.step(config.vfStepsize(), Double.NaN);
                loss = valueLoss.item();
            }
        }
        return loss;
    }

    /** The reference's {@code np.allclose(grad, 0)}: every entry within 1e-8 of zero. */
    private static boolean isZero(double[] gradient) {
        for (double g : gradient) {
            if (Math.abs(g) > 1e-8) {
                return false;
            }
        }
        return true;
    }

    /** One iteration's data as the update reads it ({@link RolloutOnTape}), with the Fisher subsample and the value minibatches' rows. */
    static final class Rollout {
        final RolloutOnTape rows = new RolloutOnTape();
        final int size;
        final int parameters;
        final float[][] subsample;
        final int[] order;
        final float[][] valueObservations = new float[VALUE_BATCH][];
        final float[] valueReturns = new float[VALUE_BATCH];

        Rollout(int size, int parameters) {
            this.size = size;
            this.parameters = parameters;
            this.subsample = new float[(size + FISHER_SUBSAMPLE - 1) / FISHER_SUBSAMPLE][];
            this.order = new int[size];
        }

        void take(RolloutBuffer rollout, ActorCriticOnTape onTape, Tape t) {
            rows.take(rollout, onTape, t);
            for (int i = 0; i < subsample.length; i++) {
                subsample[i] = rows.observations()[i * FISHER_SUBSAMPLE];
            }
        }
    }
}
