package org.sparkbaselines.vec;

import java.util.HashMap;
import java.util.Map;

/**
 * What {@link VecEnv#stepWait()} returns: one row per env. Owned by the vectorized env and refilled
 * on every step (nothing is allocated per step); copy what you keep past the next call.
 *
 * <p>Row {@code i} of {@link #obs()} is the first observation of the next episode when env {@code i}
 * is done: the real last observation is {@code infos()[i].get("terminal_observation")}.
 */
public final class VecStepResult {
    private final float[][] obs;
    private final double[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final boolean[] dones;
    private final Map<String, Object>[] infos;

    @SuppressWarnings("unchecked")
    public VecStepResult(int numEnvs, int obsDim) {
        obs = new float[numEnvs][obsDim];
        rewards = new double[numEnvs];
        terminated = new boolean[numEnvs];
        truncated = new boolean[numEnvs];
        dones = new boolean[numEnvs];
        infos = new Map[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            infos[i] = new HashMap<>();
        }
    }

    public int numEnvs() {
        return rewards.length;
    }

    /** {@code [numEnvs][obsDim]}. */
    public float[][] obs() {
        return obs;
    }

    public double[] rewards() {
        return rewards;
    }

    /** Env i reached a terminal state: do not bootstrap. */
    public boolean[] terminated() {
        return terminated;
    }

    /** Env i's episode was cut short (time limit): bootstrap from the terminal observation. */
    public boolean[] truncated() {
        return truncated;
    }

    /** {@code terminated || truncated}, the reference's {@code dones}. */
    public boolean[] dones() {
        return dones;
    }

    public Map<String, Object>[] infos() {
        return infos;
    }

    /** Records row {@code i}'s outcome; {@code info} becomes row i's info map (it is not copied). */
    public void set(int i, double reward, boolean term, boolean trunc, Map<String, Object> info) {
        rewards[i] = reward;
        terminated[i] = term;
        truncated[i] = trunc;
        dones[i] = term || trunc;
        infos[i] = info;
    }

    /** Copies rewards, flags and info references from {@code other} (a wrapper's view of the same step). */
    public void copyOutcomes(VecStepResult other) {
        System.arraycopy(other.rewards, 0, rewards, 0, rewards.length);
        System.arraycopy(other.terminated, 0, terminated, 0, terminated.length);
        System.arraycopy(other.truncated, 0, truncated, 0, truncated.length);
        System.arraycopy(other.dones, 0, dones, 0, dones.length);
        System.arraycopy(other.infos, 0, infos, 0, infos.length);
    }
}
