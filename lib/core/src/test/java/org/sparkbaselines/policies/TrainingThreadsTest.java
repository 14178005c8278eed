package org.sparkbaselines.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/** With one thread ({@code n_cpu_tf_sess = 1}) a training pass never leaves the caller's thread. */
class TrainingThreadsTest {

    /** A squared-error value loss and a log-likelihood policy loss that note the thread computing each half. */
    private static final class ThreadNotingLoss implements SplitLoss {
        final Set<Thread> valueThreads = new HashSet<>();

        @Override
        public void policyTerms(int batch, float[] logProb, float[] entropy, float[] dLogProb, float[] dEntropy) {
            for (int i = 0; i < batch; i++) {
                dLogProb[i] = -1f / batch;
                dEntropy[i] = 0;
            }
        }

        @Override
        public void valueTerms(int batch, float[] value, float[] dValue) {
            synchronized (valueThreads) {
                valueThreads.add(Thread.currentThread());
            }
            for (int i = 0; i < batch; i++) {
                dValue[i] = 2 * value[i] / batch;
            }
        }
    }

    @Test
    void oneThreadKeepsTheValueNetworkOnTheCaller() {
        ActorCriticPolicy policy = new ActorCriticPolicy(new Box(-1f, 1f, 4), new Discrete(2), PolicyKwargs.fromMap(Map.of("backend", "jvm")),
                1L);
        policy.setThreads(1);
        int batch = 256; // well above the size that pairs the networks
        float[][] obs = new float[batch][4];
        float[][] actions = new float[batch][1];
        for (int i = 0; i < batch; i++) {
            obs[i][i % 4] = 1;
            actions[i][0] = i % 2;
        }
        ThreadNotingLoss loss = new ThreadNotingLoss();
        for (int pass = 0; pass < 200; pass++) {
            policy.zeroGrad();
            policy.trainingPass(obs, actions, batch, loss);
        }
        assertEquals(Set.of(Thread.currentThread()), loss.valueThreads);
    }
}
