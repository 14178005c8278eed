package org.sparkbaselines.algos.gail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.trpo.TRPO;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.imitation.Batch;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.imitation.ExpertBatches;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.nn.OptimizerState;
import org.sparkbaselines.spaces.Space;

/**
 * Generative Adversarial Imitation Learning (Ho and Ermon 2016) on TRPO, the reference's {@code GAIL}: the policy
 * never sees the env's reward. Each iteration:
 * <pre>
 *   g_step times:  collect a rollout; reward each step with -log(1 - σ(D(s, a)) + 1e-8); one TRPO update on it
 *   d_step times:  a minibatch of rollout.size / d_step policy transitions (the last rollout's) and as many expert ones;
 *                  one Adam step (d_stepsize) on the {@link Discriminator}'s loss
 * </pre>
 * The expert transitions come from an {@link ExpertBatches}: an {@link ExpertDataset} ({@code .npz}, or a trajectory
 * table read into memory) or minibatches streamed from a trajectory table. Model files keep the discriminator and its
 * observation statistics with the policy, and its Adam state with the value function's. {@code ep_rew_mean} and the
 * evaluation report the env's true reward.
 */
public final class GAIL extends TRPO {

    /**
     * GAIL's own hyperparameters with the reference's defaults ({@link #DEFAULT}); the rest are TRPO's ({@link TRPO.Config}).
     *
     * @param hiddenSizeAdversary units of each of the discriminator's two hidden layers (100)
     * @param adversaryEntcoeff weight of the discriminator's entropy bonus (1e-3)
     * @param gStep policy updates per iteration (1)
     * @param dStep discriminator steps per iteration (1)
     * @param dStepsize the discriminator's Adam learning rate (3e-4)
     */
    public record Adversary(int hiddenSizeAdversary, double adversaryEntcoeff, int gStep, int dStep, double dStepsize) {
        public static final Adversary DEFAULT = new Adversary(100, 1e-3, 1, 1, 3e-4);

        public Adversary {
            if (hiddenSizeAdversary < 1 || gStep < 1 || dStep < 1 || !(dStepsize >= 0)) {
                throw new IllegalArgumentException("GAIL needs hidden_size_adversary, g_step and d_step >= 1 and d_stepsize >= 0");
            }
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Adversary with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private static final Set<String> ADVERSARY_KEYS = Hyperparameters.toMap(Adversary.DEFAULT).keySet();
    private final Adversary adversary;
    private final Discriminator discriminator;
    private ExpertBatches expert;
    private double[] rewards = new double[0];
    private float[][] clipped = new float[0][];
    private int[] order = new int[0];
    private long policyUpdates;

    /**
     * GAIL with the given hyperparameters, TRPO's and GAIL's together by their reference names (TRPO's defaults for the
     * ones not given, e.g. {@code timesteps_per_batch} 1024, {@code max_kl} 0.01).
     */
    public GAIL(String policy, Object env, ExpertBatches expert, Map<String, ?> hyperparameters, AlgorithmOptions options) {
        this(policy, env, null, null, hyperparameters, options);
        this.expert = expert;
    }

    private GAIL(String policy, Object env, Space obs, Space act, Map<String, ?> hyperparameters, AlgorithmOptions options) {
        super(policy, env, obs, act, TRPO.Config.DEFAULT.with(without(hyperparameters, ADVERSARY_KEYS, false)), options);
        this.adversary = Adversary.DEFAULT.with(without(hyperparameters, ADVERSARY_KEYS, true));
        this.discriminator = new Discriminator(observationSpace, actionSpace, adversary.hiddenSizeAdversary(), adversary.adversaryEntcoeff(),
                seed() + 3000);
    }

    /** The entries of {@code map} whose keys are ({@code keep}) or are not in {@code keys}. */
    private static Map<String, Object> without(Map<String, ?> map, Set<String> keys, boolean keep) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (keys.contains(k) == keep) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Loads a GAIL model file; set expert data ({@link #setExpertData}) to train on. */
    public static GAIL load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        int hidden;
        try (ModelArchive.Reader file = ModelArchive.open(path)) {
            JsonNode saved = file.data().path("hyperparameters").path("hidden_size_adversary");
            hidden = saved.isInt() ? saved.asInt() : Adversary.DEFAULT.hiddenSizeAdversary();
        }
        return load(path, env, overrides, "GAIL", (policy, obs, act, kwargs) -> {
            Map<String, int[]> shapes = new LinkedHashMap<>(policyParameterShapes(policy, obs, act, kwargs));
            shapes.putAll(Discriminator.parameterShapes(obs, act, hidden));
            return shapes;
        }, (policy, venv, obs, act, hyper, options) -> new GAIL(policy, venv, obs, act, hyper, options));
    }

    /** The expert transitions the discriminator learns from: every one of {@code dataset} (its spaces checked). */
    public void setExpertData(ExpertDataset dataset) {
        dataset.checkSpaces(observationSpace, actionSpace);
        setExpertData(ExpertBatches.of(dataset, seed() + 4000));
    }

    /** The expert transitions the discriminator learns from. */
    public void setExpertData(ExpertBatches source) {
        this.expert = source;
    }

    public Adversary adversary() {
        return adversary;
    }

    @Override
    public String algorithmName() {
        return "GAIL";
    }

    @Override
    protected void train(long totalTimesteps, BaseCallback callback, int logInterval) {
        if (expert == null) {
            throw new IllegalStateException("GAIL learns from expert data: give an ExpertDataset or ExpertBatches (setExpertData) first");
        }
        super.train(totalTimesteps, callback, logInterval);
    }

    /** The env's rewards give way to the discriminator's, of the clipped actions the env was given. */
    @Override
    protected void rewardRollout(RolloutBuffer rollout) {
        int n = rollout.size();
        if (rewards.length != n) {
            rewards = new double[n];
            clipped = new float[n][actionSpace.flatDim()];
            order = new int[n];
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(rollout.actions()[i], 0, clipped[i], 0, clipped[i].length);
        }
        clipActions(clipped, n);
        discriminator.rewards(rollout.observations(), clipped, n, rewards);
        rollout.replaceRewards(rewards);
        double sum = 0;
        for (double r : rewards) {
            sum += r;
        }
        logger.record("train/discriminator_reward", sum / n);
    }

    @Override
    protected void update(RolloutBuffer rollout, UpdateProgress progress) {
        super.update(rollout, progress);
        if (++policyUpdates % adversary.gStep() == 0) {
            trainDiscriminator(rollout);
        }
    }

    /** {@code d_step} minibatches of the rollout (shuffled), each against as many expert transitions. */
    private void trainDiscriminator(RolloutBuffer rollout) {
        int n = rollout.size();
        int batch = n / adversary.dStep();
        if (batch < 1) {
            throw new IllegalStateException("d_step (" + adversary.dStep() + ") exceeds the rollout's " + n + " steps");
        }
        shuffle(order, n);
        float[][] obs = new float[batch][];
        float[][] actions = new float[batch][];
        double generator = 0;
        double expertLoss = 0;
        double entropy = 0;
        double generatorAccuracy = 0;
        double expertAccuracy = 0;
        for (int k = 0; k < adversary.dStep(); k++) {
            for (int j = 0; j < batch; j++) {
                obs[j] = rollout.observations()[order[k * batch + j]];
                actions[j] = rollout.actions()[order[k * batch + j]];
            }
            Batch experts = expert.next(batch);
            Discriminator.Losses l = discriminator.train(obs, actions, experts.observations(), experts.actions(), batch, adversary.dStepsize());
            generator += l.generator();
            expertLoss += l.expert();
            entropy += l.entropy();
            generatorAccuracy += l.generatorAccuracy();
            expertAccuracy += l.expertAccuracy();
        }
        int steps = adversary.dStep();
        logger.record("train/generator_loss", generator / steps);
        logger.record("train/expert_loss", expertLoss / steps);
        logger.record("train/discriminator_entropy", entropy / steps);
        logger.record("train/generator_accuracy", generatorAccuracy / steps);
        logger.record("train/expert_accuracy", expertAccuracy / steps);
    }

    @Override
    protected Map<String, Object> hyperparameterMap() {
        Map<String, Object> out = new LinkedHashMap<>(super.hyperparameterMap());
        out.putAll(Hyperparameters.toMap(adversary));
        return out;
    }

    @Override
    public LinkedHashMap<String, float[]> getParameters() {
        LinkedHashMap<String, float[]> out = super.getParameters();
        out.putAll(discriminator.getParameters());
        return out;
    }

    @Override
    public Map<String, int[]> parameterShapes() {
        Map<String, int[]> out = new LinkedHashMap<>(super.parameterShapes());
        out.putAll(Discriminator.parameterShapes(observationSpace, actionSpace, adversary.hiddenSizeAdversary()));
        return out;
    }

    /** The policy's parameters go to the policy, the {@code adversary/} ones (all of them) to the discriminator. */
    @Override
    public void loadParameters(Map<String, float[]> values, boolean exactMatch) {
        Map<String, float[]> policyValues = new LinkedHashMap<>();
        Map<String, float[]> adversaryValues = new LinkedHashMap<>();
        values.forEach((name, v) -> (name.startsWith(Discriminator.SCOPE + "/") ? adversaryValues : policyValues).put(name, v));
        super.loadParameters(policyValues, exactMatch);
        if (!adversaryValues.isEmpty() || exactMatch) {
            Map<String, int[]> shapes = Discriminator.parameterShapes(observationSpace, actionSpace, adversary.hiddenSizeAdversary());
            for (String name : shapes.keySet()) {
                if (!adversaryValues.containsKey(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is missing (the discriminator's are loaded together)");
                }
            }
            discriminator.setParameters(adversaryValues);
        }
    }

    /** The value function's Adam ({@code vf/}) and the discriminator's ({@code adversary/}). */
    @Override
    protected OptimizerState optimizer() {
        Map<String, OptimizerState> groups = new LinkedHashMap<>();
        groups.put("vf", super.optimizer());
        groups.put(Discriminator.SCOPE, discriminator.optimizer());
        return OptimizerState.groups(groups);
    }
}
