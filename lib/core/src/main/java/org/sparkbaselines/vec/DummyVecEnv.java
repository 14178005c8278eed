package org.sparkbaselines.vec;

import java.util.List;
import java.util.function.Supplier;
import org.sparkbaselines.env.Env;

/**
 * Steps its envs one after another on the caller's thread, the reference's {@code DummyVecEnv}: the
 * fastest choice for cheap envs such as CartPole, where a thread hand-off would cost more than a step.
 */
public final class DummyVecEnv extends EnvBatch {

    /** @param envFactories one zero-argument factory per env */
    public DummyVecEnv(List<? extends Supplier<? extends Env>> envFactories) {
        super(envFactories);
    }

    /** Wraps a single env (what algorithms do with a plain env). */
    public static DummyVecEnv of(Env env) {
        return new DummyVecEnv(List.of(() -> env));
    }

    @Override
    protected void startStep() {
        // Stepping happens in finishStep, on the caller's thread, as the reference does.
    }

    @Override
    protected void finishStep() {
        for (int i = 0; i < envs.length; i++) {
            stepEnv(i);
        }
    }
}
