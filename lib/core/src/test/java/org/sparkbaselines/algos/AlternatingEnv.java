package org.sparkbaselines.algos;

import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * A fixture whose state is fully known between episodes: the agent should answer {@code t % 2} at
 * step t (reward 1, else 0) for {@code length} steps, then the episode terminates; the observation is
 * {@code [t / length, previous action]}, and every reset gives {@code [0, 0]} whatever the seed, so a
 * rollout that ends with its episodes leaves the env as a fresh one.
 */
final class AlternatingEnv implements Env {
    private final int length;
    private final Box observationSpace = new Box(0f, 1f, 2);
    private final Discrete actionSpace = new Discrete(2);
    private final float[] obs = new float[2];
    private final StepResult result = new StepResult();
    private int t;

    AlternatingEnv(int length) {
        this.length = length;
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
        t = 0;
        obs[0] = 0;
        obs[1] = 0;
        return obs;
    }

    @Override
    public StepResult step(float[] action) {
        double reward = action[0] == t % 2 ? 1 : 0;
        t++;
        obs[0] = (float) t / length;
        obs[1] = action[0];
        return result.set(obs, reward, t == length, false);
    }
}
