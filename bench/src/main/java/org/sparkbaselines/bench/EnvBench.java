package org.sparkbaselines.bench;

import java.util.SplittableRandom;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.env.classic.CartPoleEnv;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;

/**
 * Environment stepping throughput, the workloads of the peer figures: raw CartPole-v1 with pre-drawn
 * actions, the registered CartPole with sampled actions, and DummyVecEnv(8) with Monitor and
 * auto-reset. Prints medians of {@code rounds} timed rounds after warm-up. Not a test.
 *
 * <p>Run: {@code bin/bench env [rounds]}.
 */
public final class EnvBench {
    private static final int ACTION_POOL = 1 << 16;

    private EnvBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        BenchTable table = new BenchTable("Environment stepping, CartPole-v1 (median of " + rounds + " rounds)");
        table.rate("raw CartPole-v1 step (unwrapped, pre-drawn actions)", measure(rounds, EnvBench::rawCartPole), "steps/s", 466_000);
        table.rate("Envs.make CartPole-v1 with actionSpace.sample()", measure(rounds, EnvBench::registeredCartPole), "steps/s", 210_000);
        table.rate("DummyVecEnv(8) CartPole-v1 with Monitor, auto-reset", measure(rounds, EnvBench::dummyVecEnv8), "steps/s", 174_000);
        table.print();
    }

    /** A timed workload: returns the number of env steps it took. */
    private interface Workload {
        long run(long minNanos);
    }

    private static double measure(int rounds, Workload workload) {
        workload.run(1_500_000_000L);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            long steps = workload.run(300_000_000L);
            rates[r] = steps / ((System.nanoTime() - start) / 1e9);
        }
        return BenchTable.median(rates);
    }

    private static float[][] preDrawnActions(int count, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] zeroOrOne = {{0f}, {1f}};
        float[][] actions = new float[count][];
        for (int i = 0; i < count; i++) {
            actions[i] = zeroOrOne[random.nextInt(2)];
        }
        return actions;
    }

    private static long rawCartPole(long minNanos) {
        CartPoleEnv env = new CartPoleEnv();
        float[][] actions = preDrawnActions(ACTION_POOL, 1);
        env.reset(0L);
        long steps = 0;
        long end = System.nanoTime() + minNanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < ACTION_POOL; i++) {
                if (env.step(actions[i]).terminated()) {
                    env.reset();
                }
            }
            steps += ACTION_POOL;
        }
        return steps;
    }

    private static long registeredCartPole(long minNanos) {
        Env env = Envs.make("CartPole-v1");
        Space actionSpace = env.actionSpace();
        actionSpace.seed(0);
        float[] action = new float[1];
        env.reset(0L);
        long steps = 0;
        long end = System.nanoTime() + minNanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < ACTION_POOL; i++) {
                actionSpace.sample(action);
                StepResult r = env.step(action);
                if (r.done()) {
                    env.reset();
                }
            }
            steps += ACTION_POOL;
        }
        return steps;
    }

    private static long dummyVecEnv8(long minNanos) {
        int n = 8;
        try (VecEnv venv = VecEnvs.makeVecEnv("CartPole-v1", n, 0L)) {
            float[][] pool = preDrawnActions(ACTION_POOL * n, 2);
            float[][][] batches = new float[ACTION_POOL][n][];
            for (int b = 0; b < ACTION_POOL; b++) {
                System.arraycopy(pool, b * n, batches[b], 0, n);
            }
            venv.reset();
            long steps = 0;
            long end = System.nanoTime() + minNanos;
            while (System.nanoTime() < end) {
                for (int b = 0; b < ACTION_POOL; b++) {
                    venv.step(batches[b]);
                }
                steps += (long) ACTION_POOL * n;
            }
            return steps;
        }
    }
}
