package org.sparkbaselines.common;

import org.sparkbaselines.env.Env;
import org.sparkbaselines.vec.DummyVecEnv;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecStepResult;

/**
 * Runs a policy for whole episodes and reports the rewards, the reference's
 * {@code evaluate_policy(model, env, n_eval_episodes=10, deterministic=True, render=False,
 * callback=None, reward_threshold=None, return_episode_rewards=False)}.
 */
public final class Evaluation {

    /** Called after every step with what the reference passes its callback as {@code locals()}. */
    @FunctionalInterface
    public interface StepCallback {
        void onStep(int episode, int stepInEpisode, float[] observation, float[] action, double reward, boolean done);
    }

    private Evaluation() {
    }

    /** Ten deterministic episodes. */
    public static EvaluationResult evaluatePolicy(Predictor predictor, VecEnv env) {
        return evaluatePolicy(predictor, env, 10, true, false, null, null);
    }

    /** Over a plain env (wrapped in a {@link DummyVecEnv}). */
    public static EvaluationResult evaluatePolicy(Predictor predictor, Env env, int nEvalEpisodes, boolean deterministic) {
        return evaluatePolicy(predictor, DummyVecEnv.of(env), nEvalEpisodes, deterministic, false, null, null);
    }

    /**
     * The reference's evaluation: the env is reset once and runs on from episode to episode.
     *
     * @param env a vectorized env with exactly one env (the reference asserts the same)
     * @param nEvalEpisodes episodes to run (default 10)
     * @param deterministic whether to ask for deterministic actions (default true)
     * @param render render every step (default false)
     * @param callback called after each step, or null
     * @param rewardThreshold if not null, the mean reward must exceed it, else an {@link IllegalStateException}
     */
    public static EvaluationResult evaluatePolicy(Predictor predictor, VecEnv env, int nEvalEpisodes, boolean deterministic,
            boolean render, StepCallback callback, Double rewardThreshold) {
        return evaluatePolicy(predictor, env, nEvalEpisodes, deterministic, render, callback, rewardThreshold, null);
    }

    /**
     * {@link #evaluatePolicy(Predictor, VecEnv, int, boolean, boolean, StepCallback, Double)} with seeded
     * episodes: with a {@code seed}, episode {@code i} starts from a reset with seed {@code seed + i}, as
     * batch evaluation does, so each episode's start depends on the seed alone; null resets once.
     */
    public static EvaluationResult evaluatePolicy(Predictor predictor, VecEnv env, int nEvalEpisodes, boolean deterministic,
            boolean render, StepCallback callback, Double rewardThreshold, Long seed) {
        if (env.numEnvs() != 1) {
            throw new IllegalArgumentException("evaluatePolicy needs a VecEnv with exactly one env, got " + env.numEnvs());
        }
        if (nEvalEpisodes < 1) {
            throw new IllegalArgumentException("nEvalEpisodes must be at least 1, got " + nEvalEpisodes);
        }
        double[] rewards = new double[nEvalEpisodes];
        int[] lengths = new int[nEvalEpisodes];
        // A vec env resets itself at episode ends: unseeded, reset once, as the reference does since 2.10.1.
        float[][] obs = seed == null ? env.reset() : null;
        for (int episode = 0; episode < nEvalEpisodes; episode++) {
            if (seed != null) {
                env.seed(seed + episode);
                obs = env.reset();
            }
            boolean done = false;
            double total = 0;
            int length = 0;
            while (!done) {
                float[][] actions = predictor.predict(obs, deterministic);
                VecStepResult r = env.step(actions);
                done = r.dones()[0];
                total += r.rewards()[0];
                length++;
                if (callback != null) {
                    callback.onStep(episode, length, obs[0], actions[0], r.rewards()[0], done);
                }
                obs = r.obs();
                if (render) {
                    env.render();
                }
            }
            rewards[episode] = total;
            lengths[episode] = length;
        }
        double mean = 0;
        for (double r : rewards) {
            mean += r;
        }
        mean /= nEvalEpisodes;
        double var = 0;
        for (double r : rewards) {
            var += (r - mean) * (r - mean);
        }
        EvaluationResult result = new EvaluationResult(mean, Math.sqrt(var / nEvalEpisodes), rewards, lengths);
        if (rewardThreshold != null && !(mean > rewardThreshold)) {
            throw new IllegalStateException("mean reward below threshold: " + mean + " <= " + rewardThreshold);
        }
        return result;
    }
}
