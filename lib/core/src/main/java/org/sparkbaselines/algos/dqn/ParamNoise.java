package org.sparkbaselines.algos.dqn;

import java.util.List;
import java.util.SplittableRandom;
import org.sparkbaselines.common.noise.AdaptiveParamNoiseSpec;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.TapePolicy;

/**
 * The reference's parameter-space noise for DQN (Plappert et al. 2018, {@code build_act_with_param_noise}): the agent
 * acts greedily with a perturbed copy of the online network, re-perturbed at the start of every episode
 * ({@code W + N(0, scale^2)} on the fully-connected layers' weights and biases; layer norm's parameters are copied
 * as they are). The scale adapts at every step: another copy is perturbed with the current scale, and its policy's
 * distance from the online one, {@code KL(softmax(Q) || softmax(Q~))} on the current observation, is compared with
 * the distance epsilon-greedy exploration would cause, {@code -log(1 - eps + eps / n)}: below it the scale grows by
 * 1%, otherwise it shrinks by 1%. It starts at 0.01 and, as in the reference, is not saved with the model.
 */
final class ParamNoise {
    static final double INITIAL_SCALE = 0.01;
    private static final double ADAPTION = 1.01;

    private final QNetwork online;
    private final QNetwork perturbed;
    private final QNetwork adaptive;
    private final List<Variable> onlineVariables;
    private final List<Variable> perturbedVariables;
    private final List<Variable> adaptiveVariables;
    private final ObservationEncoder encoder;
    private final int nActions;
    private final Tape tape = new Tape();
    private double scale = INITIAL_SCALE;

    ParamNoise(DQNPolicy policy, int inputDim, int nActions) {
        this.online = policy.qNet;
        SplittableRandom unused = new SplittableRandom(0);
        this.perturbed = new QNetwork(policy.spec(), inputDim, nActions, "deepq/perturbed_model/model", unused);
        this.adaptive = new QNetwork(policy.spec(), inputDim, nActions, "deepq/adaptive_model/model", unused);
        this.onlineVariables = online.variables();
        this.perturbedVariables = perturbed.variables();
        this.adaptiveVariables = adaptive.variables();
        this.encoder = policy.newEncoder();
        this.nActions = nActions;
    }

    /** Draws the acting network's perturbation for the next episode. */
    void perturb(SplittableRandom random) {
        AdaptiveParamNoiseSpec.perturb(onlineVariables, perturbedVariables, scale, random, ParamNoise::perturbable);
    }

    /** The perturbed network's greedy action for one observation. */
    int action(float[] observation) {
        tape.reset();
        return DQNPolicy.argmax(perturbed.forward(tape, TapePolicy.input(tape, encoder, observation, 1)), 0);
    }

    /** One adaption of the scale on {@code observation}, epsilon-greedy's {@code epsilon} setting the target distance. */
    void adapt(float[] observation, double epsilon, SplittableRandom random) {
        AdaptiveParamNoiseSpec.perturb(onlineVariables, adaptiveVariables, scale, random, ParamNoise::perturbable);
        tape.reset();
        Tensor input = TapePolicy.input(tape, encoder, observation, 1);
        double kl = klDivergence(online.forward(tape, input), adaptive.forward(tape, input));
        double threshold = -Math.log(1 - epsilon + epsilon / nActions);
        scale = kl < threshold ? scale * ADAPTION : scale / ADAPTION;
    }

    double scale() {
        return scale;
    }

    /** The variables of the network the agent acts with, matching the online network's. */
    List<Variable> perturbedVariables() {
        return perturbedVariables;
    }

    /** {@code sum_a softmax(p)_a (log softmax(p)_a - log softmax(q)_a)} of one row of scores each. */
    static double klDivergence(Tensor p, Tensor q) {
        double logZp = logSumExp(p);
        double logZq = logSumExp(q);
        double kl = 0;
        for (int a = 0; a < p.cols(); a++) {
            double logP = p.get(0, a) - logZp;
            kl += Math.exp(logP) * (logP - (q.get(0, a) - logZq));
        }
        return kl;
    }

    private static double logSumExp(Tensor x) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < x.cols(); a++) {
            max = Math.max(max, x.get(0, a));
        }
        double sum = 0;
        for (int a = 0; a < x.cols(); a++) {
            sum += Math.exp(x.get(0, a) - max);
        }
        return max + Math.log(sum);
    }

    /** The reference's {@code default_param_noise_filter}: the fully-connected layers, not layer norm's parameters. */
    private static boolean perturbable(String name) {
        return name.contains("fully_connected");
    }
}
