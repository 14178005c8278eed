package org.sparkbaselines.env;

import java.util.HashMap;
import java.util.Map;

/**
 * What one {@link Env#step} returns: observation, reward, terminated, truncated and info, with
 * Gymnasium's meaning. An env owns one instance and refills it on every step, so stepping allocates
 * nothing; the values (and the {@code obs} array) are valid until that env's next {@code step} or
 * {@code reset}. Copy what you keep. Wrappers adjust the same instance on its way out.
 */
public final class StepResult {
    private float[] obs;
    private double reward;
    private boolean terminated;
    private boolean truncated;
    private final Map<String, Object> info = new HashMap<>();

    /** Fills the result and clears the info map; returns {@code this} so an env can {@code return result.set(...)}. */
    public StepResult set(float[] obs, double reward, boolean terminated, boolean truncated) {
        this.obs = obs;
        this.reward = reward;
        this.terminated = terminated;
        this.truncated = truncated;
        info.clear();
        return this;
    }

    /** The observation after the step. */
    public float[] obs() {
        return obs;
    }

    public double reward() {
        return reward;
    }

    /** The episode reached a terminal state of the MDP: do not bootstrap from {@link #obs()}. */
    public boolean terminated() {
        return terminated;
    }

    /** The episode was cut short (time limit, external stop): the state is not terminal. */
    public boolean truncated() {
        return truncated;
    }

    /** {@code terminated || truncated}: the reference's {@code done}. */
    public boolean done() {
        return terminated || truncated;
    }

    /** Extra diagnostics; keys of note are in {@link Infos}. Mutable, cleared on every {@link #set}. */
    public Map<String, Object> info() {
        return info;
    }

    /** For wrappers that change the observation. */
    public void setObs(float[] obs) {
        this.obs = obs;
    }

    /** For wrappers that change the reward. */
    public void setReward(double reward) {
        this.reward = reward;
    }

    /** For wrappers that end an episode early. */
    public void setTruncated(boolean truncated) {
        this.truncated = truncated;
    }
}
