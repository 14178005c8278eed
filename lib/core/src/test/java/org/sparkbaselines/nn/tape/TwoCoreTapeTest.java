package org.sparkbaselines.nn.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.MlpSpec;

/**
 * The tape on two cores: {@link Tape#recordInParallel} and the backward pass's lanes give the values and gradients
 * of one core bit for bit, split only parts of the graph whose variables do not meet, and replay without allocating.
 * The one-core reference runs while this test holds the second core, so every fork is declined and runs here.
 */
class TwoCoreTapeTest {
    private static final int BATCH = 256;
    private final DenseStack pi = new DenseStack(net("model/pi", 2), 1);
    private final DenseStack vf = new DenseStack(net("model/vf", 1), 2);
    private final float[][] observations = new float[BATCH][4];
    private final float[] returns = new float[BATCH];
    private final Tape tape = new Tape();
    private Tensor input;
    private Tensor logits;
    private Tensor values;
    private final Consumer<Tape> policyNet = t -> logits = pi.forward(t, input);
    private final Consumer<Tape> valueNet = t -> values = vf.forward(t, input);

    TwoCoreTapeTest() {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < 4; j++) {
                observations[i][j] = (float) random.nextGaussian();
            }
            returns[i] = (float) random.nextGaussian();
        }
    }

    private static MlpSpec net(String prefix, int outputs) {
        return new MlpSpec(4, List.of(new LayerSpec(prefix + "_fc0", 64, Activation.TANH, Math.sqrt(2)),
                new LayerSpec(prefix + "_fc1", 64, Activation.TANH, Math.sqrt(2)), new LayerSpec(prefix, outputs, Activation.LINEAR, 1.0)));
    }

    /** A loss of both networks, PPO-like in shape: a term of the logits plus a squared error of the values. */
    private Tensor loss(boolean inParallel) {
        tape.reset();
        input = tape.constant(observations, BATCH, 4);
        if (inParallel) {
            tape.recordInParallel(policyNet, valueNet);
        } else {
            policyNet.accept(tape);
            valueNet.accept(tape);
        }
        Tensor policyTerm = tape.mean(tape.square(tape.logSoftmax(logits)));
        Tensor valueTerm = tape.scale(tape.mean(tape.squaredError(values, tape.column(returns, BATCH))), 0.5f);
        return tape.add(policyTerm, valueTerm);
    }

    private List<float[]> gradients(boolean inParallel) {
        List<Variable> all = new ArrayList<>(pi.variables());
        all.addAll(vf.variables());
        Variables.zeroGrad(all);
        tape.backward(loss(inParallel));
        List<float[]> out = new ArrayList<>();
        all.forEach(v -> out.add(v.gradient().clone()));
        out.add(Arrays.copyOf(logits.values(), BATCH * 2));
        out.add(Arrays.copyOf(values.values(), BATCH));
        return out;
    }

    /** {@code work} with the second core held by this thread: every fork inside declines, and everything runs here. */
    private static <T> T onOneCore(Supplier<T> work) {
        AtomicBoolean release = new AtomicBoolean();
        Runnable hold = () -> {
            while (!release.get()) {
                Thread.onSpinWait();
            }
        };
        boolean forked = PairedWork.fork(hold);
        try {
            return work.get();
        } finally {
            release.set(true);
            PairedWork.join(hold, forked);
        }
    }

    @Test
    void networksRecordedInParallelGiveTheValuesAndGradientsOfOneCore() {
        List<float[]> oneCore = onOneCore(() -> gradients(false));
        for (boolean inParallel : new boolean[] {true, false, true}) {
            List<float[]> twoCores = gradients(inParallel);
            for (int n = 0; n < oneCore.size(); n++) {
                assertArrayEquals(oneCore.get(n), twoCores.get(n), "array " + n + ", recorded in parallel: " + inParallel);
            }
        }
        float largest = 0;
        for (float g : oneCore.get(0)) {
            largest = Math.max(largest, Math.abs(g));
        }
        assertTrue(largest > 1e-4f, "the test's gradients are not all zero");
    }

    /** Three Adam steps, each after a backward pass; the parameters and the norms the steps return. */
    private List<float[]> adamSteps() {
        List<Variable> all = new ArrayList<>(pi.variables());
        all.addAll(vf.variables());
        TapeAdam adam = new TapeAdam(all, AdamConfig.DEFAULT);
        List<float[]> out = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            tape.backward(loss(true));
            out.add(new float[] {(float) adam.step(1e-2, 0.5)});
            for (Variable v : all) {
                float largest = 0;
                for (float g : v.gradient()) {
                    largest = Math.max(largest, Math.abs(g));
                }
                assertEquals(0f, largest, v.name() + ": a step leaves the gradient zero");
            }
        }
        all.forEach(v -> out.add(v.values().clone()));
        return out;
    }

    @Test
    void anOptimizerStepAfterLanesGivesTheParametersOfOneCore() {
        List<Variable> all = new ArrayList<>(pi.variables());
        all.addAll(vf.variables());
        Map<String, float[]> initial = Variables.values(all);
        List<float[]> oneCore = onOneCore(this::adamSteps);
        Variables.assign(all, initial);
        List<float[]> twoCores = adamSteps();
        if (PairedWork.enabled()) {
            assertEquals(1, vf.variables().get(0).lane, "the value network's variables were stepped in the second lane");
        }
        for (int n = 0; n < oneCore.size(); n++) {
            assertArrayEquals(oneCore.get(n), twoCores.get(n), "array " + n);
        }
    }

    @Test
    void lanesSeparateNetworksWhoseVariablesDoNotMeet() {
        if (!PairedWork.enabled()) {
            return;
        }
        Variables.zeroGrad(pi.variables());
        Variables.zeroGrad(vf.variables());
        tape.backward(loss(true));
        assertNotEquals(logits.lane, values.lane, "the policy and value networks run in different lanes");
        assertEquals(logits.lane, logits.a.lane, "a network's layers share a lane");
        assertEquals(values.lane, values.a.a.lane, "a network's layers share a lane");
    }

    @Test
    void aSharedTrunkKeepsTheHeadsInOneLaneAndTheSameGradients() {
        Variable trunkWeights = new Variable("trunk/w", 4, 4);
        Variable trunkBias = Variable.vector("trunk/b", 4);
        SplittableRandom random = new SplittableRandom(4);
        for (int e = 0; e < trunkWeights.values().length; e++) {
            trunkWeights.values()[e] = (float) random.nextGaussian() * 0.5f;
        }
        Supplier<float[]> trunkGradient = () -> {
            trunkWeights.zeroGrad();
            tape.reset();
            input = tape.dense(tape.constant(observations, BATCH, 4), trunkWeights, trunkBias, Activation.RELU);
            tape.recordInParallel(policyNet, valueNet);
            tape.backward(tape.add(tape.mean(tape.square(logits)), tape.mean(tape.square(values))));
            return trunkWeights.gradient().clone();
        };
        float[] oneCore = onOneCore(trunkGradient);
        assertArrayEquals(oneCore, trunkGradient.get());
        assertEquals(0, logits.lane);
        assertEquals(0, values.lane);
    }

    @Test
    void aTapeThatRecordsSomethingElseInBetweenKeepsBothBranchesApart() {
        List<float[]> before = gradients(true);
        tape.reset();
        // Enough tensors to reach past the branch's positions, which this recording must not reuse.
        Tensor x = tape.constant(observations, BATCH, 4);
        for (int i = 0; i < 12; i++) {
            x = tape.tanh(x);
        }
        float[] other = Arrays.copyOf(x.values(), BATCH * 4);
        List<float[]> after = gradients(true);
        for (int n = 0; n < before.size(); n++) {
            assertArrayEquals(before.get(n), after.get(n), "array " + n);
        }
        tape.reset();
        Tensor again = tape.constant(observations, BATCH, 4);
        for (int i = 0; i < 12; i++) {
            again = tape.tanh(again);
        }
        assertArrayEquals(other, Arrays.copyOf(again.values(), other.length));
    }

    @Test
    void aReplayInParallelAllocatesNothing() {
        List<Variable> all = new ArrayList<>(pi.variables());
        all.addAll(vf.variables());
        TapeGradientTest.assertReplaysAllocateNothing(() -> {
            Variables.zeroGrad(all);
            tape.backward(loss(true));
        });
    }
}
