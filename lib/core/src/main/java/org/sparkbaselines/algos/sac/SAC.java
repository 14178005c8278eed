package org.sparkbaselines.algos.sac;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BoxOffPolicyAlgorithm;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.common.ScheduleValue;
import org.sparkbaselines.common.noise.ActionNoise;
import org.sparkbaselines.distributions.SquashedDiagGaussian;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.OptimizerState;
import org.sparkbaselines.nn.tape.MlpWithHead;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.TapePolicy;
import org.sparkbaselines.spaces.Space;

/**
 * Soft Actor-Critic (Haarnoja et al. 2018), the reference's {@code SAC}: the first paper's version, with a state value
 * function and its target. Each gradient step, on a minibatch, with {@code a~ = tanh(mu(s) + std(s) eps)} the
 * reparameterized policy action and {@code alpha} the entropy coefficient:
 * <pre>
 *   L_pi    = mean(alpha log pi(a~|s) - Q1(s, a~))                              (Adam on the actor)
 *   y_Q     = r + gamma (1 - done) V_targ(s')
 *   y_V     = min(Q1(s, a~), Q2(s, a~)) - alpha log pi(a~|s)
 *   L_V     = 0.5 mean((Q1(s, a) - y_Q)^2) + 0.5 mean((Q2(s, a) - y_Q)^2) + 0.5 mean((V(s) - y_V)^2)   (Adam on V, Q1, Q2)
 *   L_alpha = -mean(log alpha (log pi(a~|s) + target_entropy))                  (Adam on log alpha, when learned)
 *   every target_update_interval steps: V_targ = (1 - tau) V_targ + tau V
 * </pre>
 * all from the parameters before the step. Actions live in [-1, 1] and are rescaled to the Box for the env; before
 * {@code learning_starts} (and with probability {@code random_exploration} after) they are uniformly random.
 */
public final class SAC extends BoxOffPolicyAlgorithm<SAC.Config> {

    /**
     * SAC's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param learningRate Adam's learning rate for all three optimizers, a number or a schedule such as {@code "lin_3e-4"} (3e-4)
     * @param bufferSize replay buffer size (50000)
     * @param learningStarts env steps of uniformly random actions before learning starts (100)
     * @param trainFreq env steps between training phases (1)
     * @param batchSize minibatch size (64)
     * @param tau soft target update coefficient (0.005)
     * @param entCoef the entropy coefficient: a number, {@code "auto"} (learned, starting at 1) or {@code "auto_<start>"} ("auto")
     * @param targetUpdateInterval gradient steps between target updates (1)
     * @param gradientSteps gradient steps per training phase (1)
     * @param targetEntropy the entropy the learned coefficient aims at: {@code "auto"} ({@code -dim(actions)}) or a number ("auto")
     * @param noiseType optional action noise: null, {@code "normal"} or {@code "ornstein-uhlenbeck"} (null)
     * @param noiseStd its standard deviation (0.1)
     * @param randomExploration probability of a uniformly random action after learning starts (0.0)
     * @param truncationIsTerminal a time-out ends the return, as the reference, instead of bootstrapping (false)
     */
    public record Config(double gamma, ScheduleValue learningRate, int bufferSize, int learningStarts, int trainFreq, int batchSize, double tau,
            String entCoef, int targetUpdateInterval, int gradientSteps, String targetEntropy, String noiseType, double noiseStd,
            double randomExploration, boolean truncationIsTerminal) implements ExplorationConfig {
        public static final Config DEFAULT = new Config(0.99, ScheduleValue.of(3e-4), 50000, 100, 1, 64, 0.005, "auto", 1, 1, "auto", null,
                0.1, 0.0, false);

        public Config {
            Hyperparameters.requireFraction("gamma", gamma);
            Hyperparameters.requireFraction("tau", tau);
            if (targetUpdateInterval < 1) {
                throw new IllegalArgumentException("target_update_interval must be >= 1, got " + targetUpdateInterval);
            }
            Hyperparameters.requireFraction("random_exploration", randomExploration);
            initialEntCoef(entCoef);
            if (!"auto".equals(targetEntropy)) {
                number("target_entropy", targetEntropy);
            }
            ActionNoise.of(noiseType, noiseStd, 1, 0L);
            new ReplaySettings(bufferSize, batchSize, learningStarts, trainFreq, gradientSteps, truncationIsTerminal);
        }

        /** Whether the coefficient is learned ({@code "auto..."}). */
        boolean learnsEntCoef() {
            return entCoef.startsWith("auto");
        }

        /** The fixed coefficient, or where a learned one starts ({@code "auto"}: 1, {@code "auto_0.1"}: 0.1). */
        static double initialEntCoef(String entCoef) {
            if (entCoef == null) {
                throw new IllegalArgumentException("ent_coef must be a positive number, 'auto' or 'auto_<start>', got null");
            }
            if (entCoef.startsWith("auto")) {
                double start = entCoef.equals("auto") ? 1.0 : entCoef.startsWith("auto_") ? number("ent_coef", entCoef.substring(5)) : -1;
                if (!(start > 0)) {
                    throw new IllegalArgumentException("ent_coef must be a positive number, 'auto' or 'auto_<start>', got '" + entCoef + "'");
                }
                return start;
            }
            double fixed = number("ent_coef", entCoef);
            if (!(fixed > 0)) {
                throw new IllegalArgumentException("ent_coef must be positive, got " + entCoef);
            }
            return fixed;
        }

        private static double number(String name, String value) {
            try {
                double d = Double.parseDouble(value.trim());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            throw new IllegalArgumentException(name + " must be a number" + (name.equals("ent_coef") ? ", 'auto' or 'auto_<start>'" : " or 'auto'")
                    + ", got '" + value + "'");
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private final SACPolicy policy;
    private final TapeAdam policyOptimizer;
    private final TapeAdam valueOptimizer;
    private final TapeAdam entropyOptimizer;
    private final double targetEntropy;
    private final Step step;
    private final float[] actingNoise;
    private long nUpdates;

    /** SAC with the reference's defaults. */
    public SAC(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public SAC(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private SAC(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
        this.policy = new SACPolicy(policy, observationSpace, actionSpace, this.options.policyKwargs(), Config.initialEntCoef(config.entCoef()),
                seed());
        int actDim = actionSpace.flatDim();
        this.policyOptimizer = new TapeAdam(this.policy.actor.variables(), AdamConfig.DEFAULT);
        this.valueOptimizer = new TapeAdam(this.policy.valueVariables(), AdamConfig.DEFAULT);
        this.entropyOptimizer = config.learnsEntCoef() ? new TapeAdam(List.of(this.policy.logEntCoef), AdamConfig.DEFAULT) : null;
        this.targetEntropy = "auto".equals(config.targetEntropy()) ? -actDim : Double.parseDouble(config.targetEntropy().trim());
        this.step = new Step(this.policy, config);
        this.actingNoise = new float[actDim];
    }

    /** Loads a SAC model file; {@code env} may be null (prediction only). */
    public static SAC load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "SAC",
                SACPolicy::parameterShapes,
                (policy, venv, obs, act, hyper, options) -> new SAC(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    @Override
    public String algorithmName() {
        return "SAC";
    }

    @Override
    public SACPolicy policy() {
        return policy;
    }

    @Override
    protected OptimizerState optimizer() {
        Map<String, TapeAdam> groups = new LinkedHashMap<>();
        groups.put("policy", policyOptimizer);
        groups.put("values", valueOptimizer);
        if (entropyOptimizer != null) {
            groups.put("entropy", entropyOptimizer);
        }
        return OptimizerState.groups(groups);
    }

    /** A sample of the policy: {@code tanh(mean + std * N(0, 1))}. */
    @Override
    protected void policyAction(float[] observation, float[] out) {
        for (int i = 0; i < actingNoise.length; i++) {
            actingNoise[i] = (float) random.nextGaussian();
        }
        policy.act(observation, actingNoise, out);
    }

    @Override
    protected void train(int gradientSteps) {
        long envStep = learnStep();
        double learningRate = config.learningRate().at(remainingProgress());
        for (int gradStep = 0; gradStep < gradientSteps; gradStep++) {
            sample(step.batch);
            step.drawNoise(random);
            Variables.zeroGrad(policy.actor.variables());
            Variables.zeroGrad(policy.valueVariables());
            double meanLogProb = step.run(entCoef());
            policyOptimizer.step(learningRate, Double.NaN);
            valueOptimizer.step(learningRate, Double.NaN);
            if (entropyOptimizer != null) {
                // d/d(log alpha) of -mean(log alpha (log pi + target_entropy)).
                policy.logEntCoef.gradient()[0] = (float) -(meanLogProb + targetEntropy);
                entropyOptimizer.step(learningRate, Double.NaN);
            }
            if ((envStep + gradStep) % config.targetUpdateInterval() == 0) {
                Variables.polyak(policy.vf.variables(), policy.vfTarget.variables(), (float) config.tau());
            }
            nUpdates++;
        }
        logger.record("train/n_updates", nUpdates);
        logger.record("train/learning_rate", learningRate);
        logger.record("train/ent_coef", entCoef());
        logger.record("train/policy_loss", step.policyLoss);
        logger.record("train/value_loss", step.valueLoss);
    }

    /** The entropy coefficient now. */
    private float entCoef() {
        return (float) Math.exp(policy.logEntCoef.values()[0]);
    }

    /**
     * One gradient step's losses on a minibatch, in two parts that run on two cores: the policy and value-function
     * losses (the value function's target needs the policy's action), and the critics' losses. Each part has tapes of
     * its own and writes the gradients of its own networks only; the other networks it reads are frozen views.
     */
    static final class Step implements Runnable {
        private final SACPolicy policy;
        private final Config config;
        private final ObservationEncoder policyEncoder;
        private final ObservationEncoder criticEncoder;
        private final SquashedDiagGaussian squashed = new SquashedDiagGaussian();
        private final MlpWithHead qf1Frozen;
        private final MlpWithHead qf2Frozen;
        private final Tape policyTape = new Tape();
        private final Tape valueTape = new Tape();
        private final Tape targetTape = new Tape();
        private final Tape criticTape = new Tape();
        final ReplayBatch batch;
        private final float[] noise;
        private final float[] qTargets;
        private final float[] vTargets;
        private float alpha;
        private double meanLogProb;
        private double criticLoss;
        double policyLoss;
        double valueLoss;

        Step(SACPolicy policy, Config config) {
            this.policy = policy;
            this.config = config;
            this.policyEncoder = policy.newEncoder();
            this.criticEncoder = policy.newEncoder();
            this.qf1Frozen = policy.qf1.frozenView();
            this.qf2Frozen = policy.qf2.frozenView();
            int actDim = policy.actionSpace().flatDim();
            this.batch = new ReplayBatch(config.batchSize(), policy.observationSpace().flatDim(), actDim);
            this.noise = new float[config.batchSize() * actDim];
            this.qTargets = new float[config.batchSize()];
            this.vTargets = new float[config.batchSize()];
        }

        /** The reparameterization noise, drawn on the caller's thread so that runs repeat. */
        void drawNoise(java.util.SplittableRandom random) {
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
        }

        /** Back-propagates all losses with entropy coefficient {@code alpha}; returns mean log pi(a~|s). */
        double run(float entCoef) {
            this.alpha = entCoef;
            boolean forked = PairedWork.fork(this);
            try {
                policyAndValueFunction();
            } finally {
                PairedWork.join(this, forked);
            }
            valueLoss += criticLoss;
            return meanLogProb;
        }

        /** The critics' part: {@code 0.5 mean((Q_i(s, a) - y_Q)^2)} for both, {@code y_Q = r + gamma (1 - done) V_targ(s')}. */
        @Override
        public void run() {
            int n = batch.size();
            targetTape.reset();
            Tensor vNext = policy.vfTarget.forward(targetTape, TapePolicy.input(targetTape, criticEncoder, batch.nextObservations, n));
            for (int i = 0; i < n; i++) {
                qTargets[i] = (float) (batch.rewards[i] + config.gamma() * (1 - batch.dones[i]) * vNext.get(i, 0));
            }
            criticTape.reset();
            Tensor sa = criticTape.concat(TapePolicy.input(criticTape, criticEncoder, batch.observations, n),
                    criticTape.constant(batch.actions, n, batch.actionDim()));
            Tensor yQ = criticTape.column(qTargets, n);
            Tensor loss = criticTape.scale(criticTape.add(criticTape.mean(criticTape.squaredError(policy.qf1.forward(criticTape, sa), yQ)),
                    criticTape.mean(criticTape.squaredError(policy.qf2.forward(criticTape, sa), yQ))), 0.5f);
            criticTape.backward(loss);
            criticLoss = loss.item();
        }

        /**
         * {@code mean(alpha log pi(a~|s) - Q1(s, a~))} into the actor, and {@code 0.5 mean((V(s) - y_V)^2)} into the value
         * function, {@code y_V = min(Q1, Q2)(s, a~) - alpha log pi(a~|s)}.
         */
        private void policyAndValueFunction() {
            int n = batch.size();
            int actDim = batch.actionDim();
            policyTape.reset();
            Tensor s = TapePolicy.input(policyTape, policyEncoder, batch.observations, n);
            Tensor[] meanAndLogStd = policy.actor.forward(policyTape, s);
            SquashedDiagGaussian.Sample pi = squashed.sample(policyTape, meanAndLogStd[0], meanAndLogStd[1], policyTape.constant(noise, n, actDim));
            Tensor sPi = policyTape.concat(s, pi.action());
            Tensor qf1Pi = qf1Frozen.forward(policyTape, sPi);
            Tensor qf2Pi = qf2Frozen.forward(policyTape, policyTape.stopGradient(sPi));
            Tensor policyObjective = policyTape.mean(policyTape.subtract(policyTape.scale(pi.logProb(), alpha), qf1Pi));
            policyTape.backward(policyObjective);
            policyLoss = policyObjective.item();
            double sumLogProb = 0;
            for (int i = 0; i < n; i++) {
                float logProb = pi.logProb().get(i, 0);
                sumLogProb += logProb;
                vTargets[i] = Math.min(qf1Pi.get(i, 0), qf2Pi.get(i, 0)) - alpha * logProb;
            }
            meanLogProb = sumLogProb / n;
            valueTape.reset();
            Tensor v = policy.vf.forward(valueTape, TapePolicy.input(valueTape, policyEncoder, batch.observations, n));
            Tensor loss = valueTape.scale(valueTape.mean(valueTape.squaredError(v, valueTape.column(vTargets, n))), 0.5f);
            valueTape.backward(loss);
            valueLoss = loss.item();
        }
    }

    /** {@code tanh(mean(s))}, the policy's deterministic action. */
    @Override
    protected Tensor deterministicAction(Tape tape, float[] observations, int n) {
        return tape.tanh(policy.actor.forward(tape, TapePolicy.input(tape, policy.newEncoder(), observations, n))[0]);
    }

    @Override
    protected List<Variable> cloningVariables() {
        return policy.actor.variables();
    }

    @Override
    public int defaultLogInterval() {
        return 4;
    }
}
