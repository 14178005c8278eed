package org.sparkbaselines.algos.ddpg;

import java.util.SplittableRandom;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.common.noise.AdaptiveParamNoiseSpec;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.policies.ObservationEncoder;

/**
 * DDPG's parameter-space noise, as the reference's DDPG with an {@link AdaptiveParamNoiseSpec}: exploration acts with a
 * copy of the actor whose parameters carry Gaussian noise of the spec's standard deviation (every actor variable but
 * layer norm's), drawn anew at the start of each episode. Every {@code param_noise_adaption_interval} gradient steps
 * of a cycle, another copy is perturbed on a minibatch of observations and the spec adapts to the distance between
 * its actions and the actor's, {@code sqrt(mean((pi(s) - pi~(s))^2))}.
 */
final class DDPGParamNoise {
    private final DDPGPolicy policy;
    final AdaptiveParamNoiseSpec spec;
    final DDPGPolicy.Networks perturbed;
    private final DDPGPolicy.Networks adaptive;
    final ReplayBatch batch;
    private final ObservationEncoder encoder;
    private final Tape tape = new Tape();
    double lastDistance = Double.NaN;

    DDPGParamNoise(DDPGPolicy policy, AdaptiveParamNoiseSpec spec, int batchSize) {
        this.policy = policy;
        this.spec = spec;
        this.perturbed = policy.online.actorCopy("param_noise_actor");
        this.adaptive = policy.online.actorCopy("adaptive_param_noise_actor");
        this.batch = new ReplayBatch(batchSize, policy.observationSpace().flatDim(), policy.actionSpace().flatDim());
        this.encoder = policy.newEncoder();
    }

    /** Draws the exploring actor's perturbation for the next episode. */
    void perturb(SplittableRandom random) {
        perturbInto(perturbed, random);
    }

    /** One adaption of the spec on {@link #batch}'s observations (sampled by the caller). */
    void adapt(SplittableRandom random) {
        perturbInto(adaptive, random);
        policy.refreshStatistics();
        tape.reset();
        Tensor s = policy.normalizedInput(tape, encoder, batch.observations, batch.size());
        Tensor a = policy.online.actor(tape, s);
        Tensor b = adaptive.actor(tape, s);
        double sum = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double d = a.get(i, j) - b.get(i, j);
                sum += d * d;
            }
        }
        lastDistance = Math.sqrt(sum / ((double) a.rows() * a.cols()));
        spec.adapt(lastDistance);
    }

    private void perturbInto(DDPGPolicy.Networks copy, SplittableRandom random) {
        AdaptiveParamNoiseSpec.perturb(policy.online.actorVariables(), copy.actorVariables(), spec.currentStddev(), random,
                name -> !name.contains("LayerNorm"));
    }
}
