package org.sparkbaselines.algos.td3;

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
 * Twin Delayed DDPG (Fujimoto et al. 2018), the reference's {@code TD3}. Each gradient step, on a minibatch:
 * <pre>
 *   a'  = clip(pi_targ(s') + clip(N(0, target_policy_noise), -target_noise_clip, target_noise_clip), -1, 1)
 *   y   = r + gamma (1 - done) min(Q1_targ(s', a'), Q2_targ(s', a'))
 *   L_Q = mean((Q1(s, a) - y)^2) + mean((Q2(s, a) - y)^2)                     (Adam on both critics)
 *   every policy_delay steps:
 *     L_pi = -mean(Q1(s, pi(s)))                                               (Adam on the actor)
 *     targ = (1 - tau) targ + tau online                                       (actor and critics)
 * </pre>
 * The critics' and the actor's steps both start from the same parameters, so they run on two cores at once. Actions
 * live in [-1, 1] (the actor's tanh) and are rescaled to the Box for the env; before {@code learning_starts} (and with
 * probability {@code random_exploration} after) they are uniformly random, else the actor's plus the action noise,
 * clipped. The learning rate may follow a schedule over the remaining progress of each {@code learn} call.
 */
public final class TD3 extends BoxOffPolicyAlgorithm<TD3.Config> {

    /**
     * TD3's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param learningRate Adam's learning rate for actor and critics, a number or a schedule such as {@code "lin_1e-3"} (3e-4)
     * @param bufferSize replay buffer size (50000)
     * @param learningStarts env steps of uniformly random actions before learning starts (100)
     * @param trainFreq env steps between training phases (100)
     * @param gradientSteps gradient steps per training phase (100)
     * @param batchSize minibatch size (128)
     * @param tau soft target update coefficient (0.005)
     * @param policyDelay critic steps per actor and target update (2)
     * @param noiseType exploration noise: null, {@code "normal"} or {@code "ornstein-uhlenbeck"} (the reference's
     *        {@code action_noise}, as the zoo's configs name it) (null)
     * @param noiseStd the exploration noise's standard deviation per action (0.1)
     * @param targetPolicyNoise standard deviation of the target policy smoothing noise (0.2)
     * @param targetNoiseClip its clip (0.5)
     * @param randomExploration probability of a uniformly random action after learning starts (0.0)
     * @param truncationIsTerminal a time-out ends the return, as the reference, instead of bootstrapping (false)
     */
    public record Config(double gamma, ScheduleValue learningRate, int bufferSize, int learningStarts, int trainFreq, int gradientSteps,
            int batchSize, double tau, int policyDelay, String noiseType, double noiseStd, double targetPolicyNoise, double targetNoiseClip,
            double randomExploration, boolean truncationIsTerminal) implements ExplorationConfig {
        public static final Config DEFAULT = new Config(0.99, ScheduleValue.of(3e-4), 50000, 100, 100, 100, 128, 0.005, 2, null, 0.1, 0.2,
                0.5, 0.0, false);

        public Config {
            Hyperparameters.requireFraction("gamma", gamma);
            Hyperparameters.requireFraction("tau", tau);
            if (policyDelay < 1) {
                throw new IllegalArgumentException("policy_delay must be >= 1, got " + policyDelay);
            }
            if (!(targetPolicyNoise >= 0) || !(targetNoiseClip >= 0) || !(noiseStd >= 0)) {
                throw new IllegalArgumentException("noise_std, target_policy_noise and target_noise_clip must be >= 0");
            }
            Hyperparameters.requireFraction("random_exploration", randomExploration);
            ActionNoise.of(noiseType, noiseStd, 1, 0L);
            new ReplaySettings(bufferSize, batchSize, learningStarts, trainFreq, gradientSteps, truncationIsTerminal);
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private final TD3Policy policy;
    private final TapeAdam criticOptimizer;
    private final TapeAdam actorOptimizer;
    private final CriticStep criticStep;
    private final ActorStep actorStep;
    private long nUpdates;

    /** TD3 with the reference's defaults. */
    public TD3(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public TD3(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private TD3(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
        this.policy = new TD3Policy(policy, observationSpace, actionSpace, this.options.policyKwargs(), seed());
        this.criticOptimizer = new TapeAdam(this.policy.online.critics(), AdamConfig.DEFAULT);
        this.actorOptimizer = new TapeAdam(this.policy.online.actor().variables(), AdamConfig.DEFAULT);
        this.criticStep = new CriticStep(this.policy, config);
        this.actorStep = new ActorStep(this.policy);
    }

    /** Loads a TD3 model file; {@code env} may be null (prediction only). */
    public static TD3 load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "TD3", TD3Policy::parameterShapes,
                (policy, venv, obs, act, hyper, options) -> new TD3(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    @Override
    public String algorithmName() {
        return "TD3";
    }

    @Override
    public TD3Policy policy() {
        return policy;
    }

    /** Both optimizers' state, each under its own prefix. */
    @Override
    protected OptimizerState optimizer() {
        Map<String, TapeAdam> groups = new LinkedHashMap<>();
        groups.put("critic", criticOptimizer);
        groups.put("actor", actorOptimizer);
        return OptimizerState.groups(groups);
    }

    @Override
    protected void policyAction(float[] observation, float[] out) {
        policy.act(observation, out);
    }

    @Override
    protected void train(int gradientSteps) {
        long step = learnStep();
        double learningRate = config.learningRate().at(remainingProgress());
        for (int gradStep = 0; gradStep < gradientSteps; gradStep++) {
            boolean updatePolicy = (step + gradStep) % config.policyDelay() == 0;
            sample(criticStep.batch);
            criticStep.drawTargetNoise(random);
            Variables.zeroGrad(policy.online.critics());
            criticStep.forward();
            if (updatePolicy) {
                actorStep.use(criticStep.batch);
                Variables.zeroGrad(policy.online.actor().variables());
                boolean forked = PairedWork.fork(actorStep);
                try {
                    criticStep.backward();
                } finally {
                    PairedWork.join(actorStep, forked);
                }
            } else {
                criticStep.backward();
            }
            criticOptimizer.step(learningRate, Double.NaN);
            if (updatePolicy) {
                actorOptimizer.step(learningRate, Double.NaN);
                Variables.polyak(policy.online.variables(), policy.target.variables(), (float) config.tau());
            }
            nUpdates++;
        }
        logger.record("train/n_updates", nUpdates);
        logger.record("train/learning_rate", learningRate);
        logger.record("train/critic_loss", criticStep.loss);
        logger.record("train/actor_loss", actorStep.loss);
    }

    /** The critics' loss on a minibatch, on tapes of its own; its gradients go into the critics. */
    static final class CriticStep {
        private final TD3Policy policy;
        private final Config config;
        private final ObservationEncoder encoder;
        private final ObservationEncoder targetEncoder;
        private final Tape targetTape = new Tape();
        private final Tape tape = new Tape();
        private final Runnable targetPass = this::computeTargets;
        final ReplayBatch batch;
        private final float[] targetNoise;
        private final float[] targets;
        private Tensor criticLoss;
        double loss;

        CriticStep(TD3Policy policy, Config config) {
            this.policy = policy;
            this.config = config;
            this.encoder = policy.newEncoder();
            this.targetEncoder = policy.newEncoder();
            int actDim = policy.actionSpace().flatDim();
            this.batch = new ReplayBatch(config.batchSize(), policy.observationSpace().flatDim(), actDim);
            this.targetNoise = new float[config.batchSize() * actDim];
            this.targets = new float[config.batchSize()];
        }

        /** Target policy smoothing noise, clipped, drawn on the caller's thread so that runs repeat. */
        void drawTargetNoise(java.util.SplittableRandom random) {
            float clip = (float) config.targetNoiseClip();
            for (int i = 0; i < targetNoise.length; i++) {
                float noise = (float) (config.targetPolicyNoise() * random.nextGaussian());
                targetNoise[i] = Math.max(-clip, Math.min(clip, noise));
            }
        }

        /**
         * The critics' loss on the minibatch, back-propagated by {@link #backward}: the targets on the second core
         * ({@link PairedWork}) while this one runs both critics forward.
         */
        void forward() {
            int n = batch.size();
            tape.reset();
            Tensor q1;
            Tensor q2;
            boolean forked = PairedWork.fork(targetPass);
            try {
                Tensor sa = tape.concat(TapePolicy.input(tape, encoder, batch.observations, n), tape.constant(batch.actions, n, batch.actionDim()));
                q1 = policy.online.qf1().forward(tape, sa);
                q2 = policy.online.qf2().forward(tape, sa);
            } finally {
                PairedWork.join(targetPass, forked);
            }
            Tensor y = tape.column(targets, n);
            criticLoss = tape.add(tape.mean(tape.squaredError(q1, y)), tape.mean(tape.squaredError(q2, y)));
            loss = criticLoss.item();
        }

        void backward() {
            tape.backward(criticLoss);
        }

        /** {@code y = r + gamma (1 - done) min(Q1_targ, Q2_targ)(s', clip(pi_targ(s') + noise))}, into {@link #targets}. */
        private void computeTargets() {
            int n = batch.size();
            int actDim = batch.actionDim();
            targetTape.reset();
            Tensor next = TapePolicy.input(targetTape, targetEncoder, batch.nextObservations, n);
            Tensor smoothed = targetTape.clip(targetTape.add(policy.target.actor().forward(targetTape, next),
                    targetTape.constant(targetNoise, n, actDim)), -1f, 1f);
            Tensor nextSa = targetTape.concat(next, smoothed);
            Tensor minTarget = targetTape.minimum(policy.target.qf1().forward(targetTape, nextSa), policy.target.qf2().forward(targetTape, nextSa));
            for (int i = 0; i < n; i++) {
                targets[i] = (float) (batch.rewards[i] + config.gamma() * (1 - batch.dones[i]) * minTarget.get(i, 0));
            }
        }
    }

    /**
     * The actor's loss {@code -mean(Q1(s, pi(s)))} on a minibatch, on a tape of its own; it back-propagates through a
     * frozen view of Q1 ({@code dQ/da} only), so the critics' gradients are untouched.
     */
    static final class ActorStep implements Runnable {
        private final TD3Policy policy;
        private final MlpWithHead qf1;
        private final ObservationEncoder encoder;
        private final Tape tape = new Tape();
        private ReplayBatch batch;
        double loss;

        ActorStep(TD3Policy policy) {
            this.policy = policy;
            this.qf1 = policy.online.qf1().frozenView();
            this.encoder = policy.newEncoder();
        }

        void use(ReplayBatch minibatch) {
            this.batch = minibatch;
        }

        @Override
        public void run() {
            int n = batch.size();
            tape.reset();
            Tensor s = TapePolicy.input(tape, encoder, batch.observations, n);
            Tensor actorLoss = tape.scale(tape.mean(qf1.forward(tape, tape.concat(s, policy.online.actor().forward(tape, s)))), -1f);
            tape.backward(actorLoss);
            loss = actorLoss.item();
        }
    }

    @Override
    protected Tensor deterministicAction(Tape tape, float[] observations, int n) {
        return policy.online.actor().forward(tape, TapePolicy.input(tape, policy.newEncoder(), observations, n));
    }

    @Override
    protected List<Variable> cloningVariables() {
        return policy.online.actor().variables();
    }

    @Override
    public int defaultLogInterval() {
        return 4;
    }
}
