package org.sparkbaselines.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.sparkbaselines.algos.ppo2.ClippedSurrogateLoss;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.distributions.DifferentiableDistribution;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.jvm.JvmBackend;
import org.sparkbaselines.nn.tape.DenseStack;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/**
 * The JVM kernels on the peer figures' network workload: one PPO minibatch update of CartPole-sized
 * nets (policy 4-64-64-2 and value 4-64-64-1, tanh hidden layers: forward both, backward both from a
 * given dL/doutput, global-norm clipping, Adam) at B=64 and B=256, and the forward of one observation
 * through the policy net. Prints medians of {@code rounds} timed rounds after a few seconds of
 * warm-up, wall-clock in the table and the thread's CPU time below it (the same when the machine is
 * otherwise idle; on a shared machine the CPU time leaves out time the scheduler gave to others).
 * Not a test.
 *
 * <p>Run: {@code bin/bench nn [rounds]}.
 */
public final class NnBench {
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final long ROUND_NANOS = 300_000_000L;

    private NnBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        PpoUpdate small = new PpoUpdate(64);
        PpoUpdate large = new PpoUpdate(256);
        SingleObservation single = SingleObservation.onBackend();
        PpoGradient handOneCore = PpoGradient.handDerived(1);
        PpoGradient handTwoCores = PpoGradient.handDerived(2);
        PpoGradient tape = PpoGradient.onTape();
        PpoGradient handStep = PpoGradient.handDerived(2).withAdamStep();
        PpoGradient tapeStep = PpoGradient.onTape().withAdamStep();
        SingleObservation singleOnTape = SingleObservation.onTape();
        FisherVectorProduct fisher = new FisherVectorProduct();
        warmUp(small, large, single, handOneCore, handTwoCores, tape, handStep, tapeStep, singleOnTape, fisher);

        Timing smallUpdate = measure(rounds, small);
        Timing largeUpdate = measure(rounds, large);
        Timing singleForward = measure(rounds, single);
        // Side by side, alternating rounds, so that a noisy neighbour hurts all three alike.
        Timing[] gradients = measureAlternating(rounds, handOneCore, handTwoCores, tape, handStep, tapeStep);
        Timing singleTapeForward = measure(rounds, singleOnTape);
        Timing fisherProduct = measure(rounds, fisher);
        double smallMicros = smallUpdate.wallNanos() / 1e3;
        double largeMicros = largeUpdate.wallNanos() / 1e3;
        double singleNanos = singleForward.wallNanos();

        BenchTable table = new BenchTable("Network kernels, JVM backend, 2 nets 4-64-64-{2,1} tanh (median of " + rounds + " rounds)");
        table.time("PPO minibatch update, B=64 (fwd+bwd both nets, clip, Adam)", smallMicros, "µs", Double.NaN);
        table.time("PPO minibatch update, B=256 (fwd+bwd both nets, clip, Adam)", largeMicros, "µs", 1370);
        table.rate("  effective rate, B=64 update", small.flops() / smallMicros / 1e3, "GFLOP/s", Double.NaN);
        table.rate("  effective rate, B=256 update", large.flops() / largeMicros / 1e3, "GFLOP/s", Double.NaN);
        table.time("forward, one observation, 4-64-64-2", singleNanos, "ns", 35_000);
        table.time("PPO2 minibatch gradient B=256, hand-derived, 1 core", gradients[0].wallNanos() / 1e3, "µs", Double.NaN);
        table.time("PPO2 minibatch gradient B=256, hand-derived, 2 cores", gradients[1].wallNanos() / 1e3, "µs", Double.NaN);
        // The engine has no one-core switch of its own: the policy and value networks run on the two cores.
        table.time("PPO2 minibatch gradient B=256, engine (tape)", gradients[2].wallNanos() / 1e3, "µs", Double.NaN);
        table.time("PPO2 minibatch gradient + Adam step B=256, hand-derived, 2 cores", gradients[3].wallNanos() / 1e3, "µs", Double.NaN);
        table.time("PPO2 minibatch gradient + Adam step B=256, engine (tape)", gradients[4].wallNanos() / 1e3, "µs", Double.NaN);
        table.time("forward, one observation, 4-64-64-2, engine (tape)", singleTapeForward.wallNanos(), "ns", Double.NaN);
        table.time("Fisher-vector product, 3-64-64-1 tanh Gaussian, 1,024 obs, engine", fisherProduct.wallNanos() / 1e3, "µs", Double.NaN);
        table.print();
        System.out.printf("engine / hand-derived on 1 core: %.2fx; engine / hand-derived on 2 cores: %.2fx; with the Adam step: %.2fx%n",
                gradients[2].wallNanos() / gradients[0].wallNanos(), gradients[2].wallNanos() / gradients[1].wallNanos(),
                gradients[4].wallNanos() / gradients[3].wallNanos());
        System.out.printf("FLOPs per update: B=64 %,d, B=256 %,d (multiply-add = 2; activations and Adam not counted)%n",
                small.flops(), large.flops());
        System.out.printf("thread CPU time (medians): update B=64 %.1f µs, B=256 %.1f µs (%.0f GFLOP/s); one observation %.0f ns%n",
                smallUpdate.cpuNanos() / 1e3, largeUpdate.cpuNanos() / 1e3, large.flops() / largeUpdate.cpuNanos(), singleForward.cpuNanos());
    }

    /** Median nanoseconds per call, by the wall clock and by the thread's CPU time. */
    private record Timing(double wallNanos, double cpuNanos) {
    }

    /** A timed call; returns how many calls it made. */
    private interface Workload {
        long run(long minNanos);
    }

    private static void warmUp(Workload... workloads) {
        long end = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < end) {
            for (Workload w : workloads) {
                w.run(50_000_000L);
            }
        }
    }

    private static Timing measure(int rounds, Workload workload) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long calls = workload.run(ROUND_NANOS);
            cpu[r] = (threads.getCurrentThreadCpuTime() - cpuStart) / (double) calls;
            wall[r] = (System.nanoTime() - start) / (double) calls;
        }
        return new Timing(BenchTable.median(wall), BenchTable.median(cpu));
    }

    /** Each workload's median over {@code rounds}, the workloads' rounds interleaved. */
    private static Timing[] measureAlternating(int rounds, Workload... workloads) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] wall = new double[workloads.length][rounds];
        double[][] cpu = new double[workloads.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int w = 0; w < workloads.length; w++) {
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long calls = workloads[w].run(ROUND_NANOS);
                cpu[w][r] = (threads.getCurrentThreadCpuTime() - cpuStart) / (double) calls;
                wall[w][r] = (System.nanoTime() - start) / (double) calls;
            }
        }
        Timing[] out = new Timing[workloads.length];
        for (int w = 0; w < workloads.length; w++) {
            out[w] = new Timing(BenchTable.median(wall[w]), BenchTable.median(cpu[w]));
        }
        return out;
    }

    private static MlpSpec net(String prefix, int outputs, double headGain) {
        return new MlpSpec(4, List.of(
                new LayerSpec(prefix + "_fc0", 64, Activation.TANH, Math.sqrt(2)),
                new LayerSpec(prefix + "_fc1", 64, Activation.TANH, Math.sqrt(2)),
                new LayerSpec(prefix, outputs, Activation.LINEAR, headGain)));
    }

    /** Multiply-adds of forward (all layers), weight gradients (all layers) and input gradients (all but the first layer), times two. */
    private static long updateFlops(MlpSpec spec, int batch) {
        long forward = 0;
        int in = spec.inputDim();
        for (LayerSpec layer : spec.layers()) {
            forward += (long) in * layer.units();
            in = layer.units();
        }
        long firstLayer = (long) spec.inputDim() * spec.layers().get(0).units();
        return 2L * batch * (3 * forward - firstLayer);
    }

    /** Zero gradients, forward and backward both nets, then one clipped Adam step. */
    private static final class PpoUpdate implements Workload {
        private static final int CALLS_PER_CHECK = 16;
        private final int batch;
        private final Mlp policy;
        private final Mlp value;
        private final Optimizer adam;
        private final float[][] observations;
        private final float[][] policyGrad;
        private final float[][] valueGrad;

        PpoUpdate(int batch) {
            this.batch = batch;
            policy = JvmBackend.INSTANCE.mlp(net("model/pi", 2, 0.01), 0);
            value = JvmBackend.INSTANCE.mlp(net("model/vf", 1, 1.0), 1);
            adam = JvmBackend.INSTANCE.adam(List.of(policy, value), AdamConfig.DEFAULT.withEpsilon(1e-5));
            SplittableRandom random = new SplittableRandom(batch);
            observations = rows(batch, 4, random);
            policyGrad = rows(batch, 2, random);
            valueGrad = rows(batch, 1, random);
        }

        long flops() {
            return updateFlops(policy.spec(), batch) + updateFlops(value.spec(), batch);
        }

        @Override
        public long run(long minNanos) {
            long calls = 0;
            long end = System.nanoTime() + minNanos;
            do {
                for (int i = 0; i < CALLS_PER_CHECK; i++) {
                    policy.zeroGrad();
                    value.zeroGrad();
                    policy.forward(observations, batch);
                    value.forward(observations, batch);
                    policy.backward(policyGrad, batch, false);
                    value.backward(valueGrad, batch, false);
                    // A tiny rate keeps the weights (and so the tanh inputs) where they started.
                    adam.step(1e-9, 0.5);
                }
                calls += CALLS_PER_CHECK;
            } while (System.nanoTime() < end);
            return calls;
        }
    }

    /**
     * The gradient of PPO2's minibatch loss for CartPole's default policy (no optimizer step): the
     * hand-derived {@code trainingPass} with {@link ClippedSurrogateLoss}, or the same networks on the
     * engine's tape with {@link PPO2#loss}.
     */
    private static final class PpoGradient implements Workload {
        private static final int BATCH = 256;
        private static final int CALLS_PER_CHECK = 8;
        private final ActorCriticPolicy policy;
        private final float[][] observations;
        private final float[][] actions = new float[BATCH][1];
        private final float[] oldLogProb = new float[BATCH];
        private final float[] oldValues = new float[BATCH];
        private final float[] advantages;
        private final float[] returns;
        private final ClippedSurrogateLoss loss = new ClippedSurrogateLoss();
        private final DenseStack pi;
        private final DenseStack vf;
        private final Tape tape = new Tape();
        private final DifferentiableDistribution distribution;
        /** The Adam step after each gradient (null: the gradient only), as PPO2 takes it: a tiny rate keeps the weights put. */
        private Optimizer adam;
        private Tensor obs;
        private Tensor logits;
        private Tensor values;
        // The two networks are recorded at once, each on its own core (made once: a replay allocates nothing).
        private final Consumer<Tape> policyNet = t -> logits = policyStack().forward(t, obs);
        private final Consumer<Tape> valueNet = t -> values = valueStack().forward(t, obs);

        private PpoGradient(int threads, boolean onTape) {
            policy = new ActorCriticPolicy(new Box(-5f, 5f, 4), new Discrete(2), PolicyKwargs.fromMap(Map.of("backend", "jvm")), 3);
            policy.setThreads(threads);
            SplittableRandom random = new SplittableRandom(5);
            observations = rows(BATCH, 4, random);
            policy.act(observations, BATCH, false, random, actions, oldValues, oldLogProb);
            advantages = rows(1, BATCH, random)[0];
            returns = rows(1, BATCH, random)[0];
            distribution = DifferentiableDistribution.forActionSpace(new Discrete(2));
            if (onTape) {
                pi = new DenseStack(net("model/pi", 2, 0.01), 0);
                vf = new DenseStack(net("model/vf", 1, 1.0), 0);
                Map<String, float[]> parameters = policy.getParameters();
                pi.setParameters(pick(parameters, pi));
                vf.setParameters(pick(parameters, vf));
            } else {
                pi = null;
                vf = null;
            }
        }

        private DenseStack policyStack() {
            return pi;
        }

        private DenseStack valueStack() {
            return vf;
        }

        static PpoGradient handDerived(int threads) {
            return new PpoGradient(threads, false);
        }

        static PpoGradient onTape() {
            return new PpoGradient(1, true);
        }

        PpoGradient withAdamStep() {
            AdamConfig config = AdamConfig.DEFAULT.withEpsilon(1e-5);
            if (pi == null) {
                adam = policy.backend().adam(policy.trainables(), config);
                adam.setThreads(2);
            } else {
                List<Variable> variables = new java.util.ArrayList<>(pi.variables());
                variables.addAll(vf.variables());
                adam = new TapeAdam(variables, config);
            }
            return this;
        }

        private static Map<String, float[]> pick(Map<String, float[]> parameters, DenseStack stack) {
            Map<String, float[]> out = new java.util.HashMap<>();
            stack.variables().forEach(v -> out.put(v.name(), parameters.get(v.name())));
            return out;
        }

        @Override
        public long run(long minNanos) {
            long calls = 0;
            long end = System.nanoTime() + minNanos;
            do {
                for (int i = 0; i < CALLS_PER_CHECK; i++) {
                    if (pi == null) {
                        policy.zeroGrad();
                        policy.trainingPass(observations, actions, BATCH, loss.bind(oldLogProb, advantages, oldValues, returns, 0.2, 0.2, 0.0, 0.5));
                    } else {
                        tapeGradient();
                    }
                    if (adam != null) {
                        adam.step(1e-9, 0.5);
                    }
                }
                calls += CALLS_PER_CHECK;
            } while (System.nanoTime() < end);
            return calls;
        }

        private void tapeGradient() {
            // The tape's optimizer leaves the gradients zero, each on the core that accumulated it.
            if (adam == null) {
                for (Variable v : pi.variables()) {
                    v.zeroGrad();
                }
                for (Variable v : vf.variables()) {
                    v.zeroGrad();
                }
            }
            tape.reset();
            obs = tape.constant(observations, BATCH, 4);
            tape.recordInParallel(policyNet, valueNet);
            Tensor actionRows = tape.constant(actions, BATCH, 1);
            Tensor total = PPO2.loss(tape, distribution.logProb(tape, logits, null, actionRows), distribution.entropy(tape, logits, null), values,
                    tape.column(oldLogProb, BATCH), tape.column(advantages, BATCH), tape.column(oldValues, BATCH), tape.column(returns, BATCH),
                    0.2f, 0.2f, 0f, 0.5f);
            tape.backward(total);
        }
    }

    /**
     * One Fisher-vector product of TRPO's kind: a [64, 64] tanh Gaussian policy on 1,024 observations (Pendulum's
     * sizes), forward, forward-mode tangents along a vector, and one backward pass.
     */
    private static final class FisherVectorProduct implements Workload {
        private static final int OBSERVATIONS = 1024;
        private final DenseStack mean = new DenseStack(new MlpSpec(3, List.of(new LayerSpec("model/pi_fc0", 64, Activation.TANH, Math.sqrt(2)),
                new LayerSpec("model/pi_fc1", 64, Activation.TANH, Math.sqrt(2)), new LayerSpec("model/pi", 1, Activation.LINEAR, 0.01))), 0);
        private final Variable logStd = new Variable("model/pi/logstd:0", 1, 1);
        private final float[] observations;
        private final Tape tape = new Tape();
        private final DifferentiableDistribution gaussian = DifferentiableDistribution.forActionSpace(new Box(-2f, 2f, 1));

        FisherVectorProduct() {
            SplittableRandom random = new SplittableRandom(9);
            observations = new float[OBSERVATIONS * 3];
            for (int e = 0; e < observations.length; e++) {
                observations[e] = (float) random.nextGaussian();
            }
            for (Variable v : mean.variables()) {
                for (int e = 0; e < v.tangent().length; e++) {
                    v.tangent()[e] = (float) random.nextGaussian();
                }
            }
            logStd.tangent()[0] = 1f;
        }

        @Override
        public long run(long minNanos) {
            long calls = 0;
            long end = System.nanoTime() + minNanos;
            do {
                Variables.zeroGrad(mean.variables());
                logStd.zeroGrad();
                tape.reset();
                Tensor params = mean.forward(tape, tape.constant(observations, OBSERVATIONS, 3));
                Tensor std = tape.variable(logStd);
                tape.jvp();
                tape.backward(gaussian.fisherVectorProduct(tape, params, std));
                calls++;
            } while (System.nanoTime() < end);
            return calls;
        }
    }

    /** The policy net's forward for one observation, as when stepping a single environment: the JVM backend's, or the tape's. */
    private static final class SingleObservation implements Workload {
        private static final int CALLS_PER_CHECK = 1024;
        private final float[][] observations = rows(CALLS_PER_CHECK, 4, new SplittableRandom(7));
        private final Consumer<float[]> forward;

        private SingleObservation(Consumer<float[]> forward) {
            this.forward = forward;
        }

        static SingleObservation onBackend() {
            Mlp policy = JvmBackend.INSTANCE.mlp(net("model/pi", 2, 0.01), 0);
            float[][] one = new float[1][];
            return new SingleObservation(observation -> {
                one[0] = observation;
                policy.forward(one, 1);
            });
        }

        static SingleObservation onTape() {
            DenseStack policy = new DenseStack(net("model/pi", 2, 0.01), 0);
            Tape tape = new Tape();
            return new SingleObservation(observation -> {
                tape.reset();
                policy.forward(tape, tape.constant(observation, 1, 4));
            });
        }

        @Override
        public long run(long minNanos) {
            long calls = 0;
            long end = System.nanoTime() + minNanos;
            do {
                for (float[] observation : observations) {
                    forward.accept(observation);
                }
                calls += CALLS_PER_CHECK;
            } while (System.nanoTime() < end);
            return calls;
        }
    }

    private static float[][] rows(int n, int width, SplittableRandom random) {
        float[][] out = new float[n][width];
        for (float[] row : out) {
            for (int j = 0; j < width; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return out;
    }
}
