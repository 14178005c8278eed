package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sparkbaselines.distributions.DistributionFixtures.randomLogStd;
import static org.sparkbaselines.distributions.DistributionFixtures.randomParams;
import static org.sparkbaselines.distributions.DistributionFixtures.sampledActions;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every batch method, once JIT-compiled, allocates nothing: they run per minibatch in the training loop. */
class DistributionAllocationTest {
    private static final int BATCH = 64;
    private static final int WARM_UP_CALLS = 3_000;
    private static final int MEASURED_CALLS = 1_000;
    /** Slack for the measurement itself (the MXBean call may box a long or two). */
    private static final long ALLOWED_BYTES = 300;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparkbaselines.distributions.DistributionFixtures#all")
    void batchMethodsAllocateNothingAfterWarmUp(Distribution distribution) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);

        SplittableRandom random = new SplittableRandom(9);
        float[][] params = randomParams(distribution, BATCH, random);
        float[][] otherParams = randomParams(distribution, BATCH, random);
        float[] logStd = randomLogStd(distribution, random);
        float[] otherLogStd = randomLogStd(distribution, random);
        float[][] actions = sampledActions(distribution, params, logStd, random);
        float[][] actionsOut = new float[BATCH][distribution.actionDim()];
        float[] out = new float[BATCH];
        float[] dLogp = new float[BATCH];
        float[] dEntropy = new float[BATCH];
        Arrays.fill(dLogp, -1f);
        Arrays.fill(dEntropy, -0.01f);
        float[][] gradParams = new float[BATCH][distribution.paramDim()];
        float[] gradLogStd = logStd == null ? null : new float[logStd.length];

        Map<String, Runnable> methods = new LinkedHashMap<>();
        methods.put("logProb", () -> distribution.logProb(params, logStd, actions, BATCH, out));
        methods.put("backward", () -> distribution.backward(params, logStd, actions, BATCH, dLogp, dEntropy, gradParams, gradLogStd));
        methods.put("entropy", () -> distribution.entropy(params, logStd, BATCH, out));
        methods.put("kl", () -> distribution.kl(params, logStd, otherParams, otherLogStd, BATCH, out));
        methods.put("sample", () -> distribution.sample(params, logStd, BATCH, random, actionsOut));
        methods.put("mode", () -> distribution.mode(params, BATCH, actionsOut));

        for (Map.Entry<String, Runnable> method : methods.entrySet()) {
            Runnable call = method.getValue();
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                call.run();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED_CALLS; i++) {
                call.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated <= ALLOWED_BYTES,
                    distribution + "." + method.getKey() + " allocated " + allocated + " bytes over " + MEASURED_CALLS + " calls");
        }
    }
}
