package org.sparkbaselines.vec;

import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * A fixture with hand-predictable values: the observation is {@code [start + t, 10 * (start + t)]},
 * the reward is the action plus one, and the episode terminates after {@code terminateAfter} steps.
 * {@code start} is the reset seed, or the previous start plus 100 when reset without one.
 */
public class CountingEnv implements Env {
    private final int terminateAfter;
    private final Box observationSpace = new Box(-1e6f, 1e6f, 2);
    private final Discrete actionSpace = new Discrete(3);
    private final float[] obs = new float[2];
    private final StepResult result = new StepResult();
    private long start = -100;
    private int t;
    public int resets;

    public CountingEnv(int terminateAfter) {
        this.terminateAfter = terminateAfter;
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    @Override
    public float[] reset(Long seed) {
        resets++;
        t = 0;
        start = seed != null ? seed : start + 100;
        return observe();
    }

    @Override
    public StepResult step(float[] action) {
        t++;
        return result.set(observe(), action[0] + 1, t >= terminateAfter, false);
    }

    public int stepsTaken() {
        return t;
    }

    protected float[] observe() {
        obs[0] = start + t;
        obs[1] = 10 * (start + t);
        return obs;
    }
}
