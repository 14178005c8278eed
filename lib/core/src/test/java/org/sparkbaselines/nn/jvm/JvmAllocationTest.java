package org.sparkbaselines.nn.jvm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.jvm.JvmTestNets.uniform;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.RmsPropConfig;

/**
 * Nothing is allocated per forward, backward or optimizer step once buffers have grown. Vector API
 * code allocates (boxes every vector) until C2 has compiled it, so each check warms up and
 * measures in rounds until it sees the steady state or runs out of rounds.
 */
class JvmAllocationTest {
    private static final int ITERATIONS = 1000;
    /** Measurement noise: a few hundred bytes over all iterations, far below one vector per call. */
    private static final long ALLOWED_BYTES = 512;
    private static final int MAX_ROUNDS = 40;

    @Test
    void forwardBackwardAndStepsAllocateNothing() {
        MlpSpec policySpec = JvmTestNets.policySpec();
        Mlp policy = JvmBackend.INSTANCE.mlp(policySpec, 1);
        Mlp value = JvmBackend.INSTANCE.mlp(JvmTestNets.spec(4, "64 tanh", "64 tanh", "1 linear"), 2);
        ParameterVector logStd = JvmBackend.INSTANCE.parameterVector("model/pi/logstd:0", 2, 0f);
        Optimizer adam = JvmBackend.INSTANCE.adam(List.of(policy, value, logStd), AdamConfig.DEFAULT);
        Optimizer rmsProp = JvmBackend.INSTANCE.rmsProp(List.of(policy, value, logStd), RmsPropConfig.A2C_DEFAULT);
        SplittableRandom random = new SplittableRandom(3);
        int batch = 37;
        float[][] input = uniform(batch, 4, 1.0, random);
        float[][] policyGrad = uniform(batch, 2, 1.0, random);
        float[][] valueGrad = uniform(batch, 1, 1.0, random);
        float[] logStdGrad = {0.1f, -0.1f};
        float[][] single = {input[0]};

        assertAllocatesNothing("forward and backward", () -> {
            policy.zeroGrad();
            value.zeroGrad();
            policy.forward(input, batch);
            value.forward(input, batch);
            policy.backward(policyGrad, batch, true);
            value.backward(valueGrad, batch, false);
            logStd.addGradient(logStdGrad);
        });
        assertAllocatesNothing("single-observation forward", () -> policy.forward(single, 1));
        assertAllocatesNothing("Adam step", () -> adam.step(1e-9, 0.5));
        assertAllocatesNothing("RMSProp step", () -> rmsProp.step(1e-9, 0.5));
    }

    private static void assertAllocatesNothing(String what, Runnable call) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < MAX_ROUNDS && bytes > ALLOWED_BYTES; round++) {
            for (int i = 0; i < 2 * ITERATIONS; i++) {
                call.run();
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < ITERATIONS; i++) {
                call.run();
            }
            bytes = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertTrue(bytes <= ALLOWED_BYTES, what + " allocated " + bytes + " bytes over " + ITERATIONS + " calls after warm-up");
    }
}
