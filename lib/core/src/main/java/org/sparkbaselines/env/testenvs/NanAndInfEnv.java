package org.sparkbaselines.env.testenvs;

import org.sparkbaselines.env.BaseEnv;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * The reference's NaN demo env (docs "Dealing with NaNs and infs"): observation and action space
 * {@code Box(-inf, inf, (1,), float64)}. Each step draws {@code u} uniform in [0, 1) from the env's
 * seeded generator and observes NaN when {@code u > 0.99}, +inf when {@code 0.98 < u <= 0.99},
 * else {@code u}. The reward is always 0 and episodes never end; {@code reset} observes 0.
 * Use it to exercise NaN/inf detection.
 */
public final class NanAndInfEnv extends BaseEnv {
    private static final double NAN_ABOVE = 0.99;
    private static final double INF_ABOVE = 0.98;

    private final Box observationSpace = unboundedScalar();
    private final Box actionSpace = unboundedScalar();
    private final float[] obs = new float[1];

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    @Override
    protected float[] resetState() {
        obs[0] = 0f;
        return obs;
    }

    @Override
    public StepResult step(float[] action) {
        actionSpace.checkLength(action, "NanAndInfEnv action");
        double u = random.nextDouble();
        obs[0] = u > NAN_ABOVE ? Float.NaN : u > INF_ABOVE ? Float.POSITIVE_INFINITY : (float) u;
        return result.set(obs, 0.0, false, false);
    }

    private static Box unboundedScalar() {
        return new Box(new float[] {Float.NEGATIVE_INFINITY}, new float[] {Float.POSITIVE_INFINITY}, Box.DType.FLOAT64, 1);
    }
}
