package org.sparkbaselines.imitation;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparkbaselines.SharedReference;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.StepResult;

/** Expert data for the tests: the shared numpy-written reference file, counting data, and recorded episodes. */
final class ExpertFixtures {
    /** A linear swing-up-free controller for Pendulum-v1: torque against the angle and the angular velocity. */
    static final Predictor LINEAR_PENDULUM_EXPERT = (observations, deterministic) -> {
        float[][] actions = new float[observations.length][];
        for (int i = 0; i < observations.length; i++) {
            float[] obs = observations[i];
            actions[i] = new float[] {Math.max(-2f, Math.min(2f, -1.5f * obs[1] - 0.4f * obs[2]))};
        }
        return actions;
    };

    /** Written by numpy: 5 CartPole-v1 episodes of 500 steps, obs (2500, 4) float32, actions (2500, 1) int64. */
    static final String REFERENCE_NPZ = "expert_cartpole_reference_layout.npz";

    private ExpertFixtures() {
    }

    /** {@code shared/reference/expert_cartpole_reference_layout.npz}. */
    static Path referenceNpz() {
        return SharedReference.path(REFERENCE_NPZ);
    }

    /**
     * {@code episodes} episodes of {@code length} steps whose observation is the step's index, so a
     * batch tells which steps it holds; the action is the index's parity, every reward 1.
     */
    static TrajectoryData counting(int episodes, int length) {
        int steps = episodes * length;
        float[][] obs = new float[steps][];
        float[][] actions = new float[steps][];
        double[] rewards = new double[steps];
        boolean[] starts = new boolean[steps];
        double[] returns = new double[episodes];
        for (int step = 0; step < steps; step++) {
            obs[step] = new float[] {step};
            actions[step] = new float[] {step % 2};
            rewards[step] = 1;
            starts[step] = step % length == 0;
        }
        Arrays.fill(returns, length);
        return new TrajectoryData(obs, actions, rewards, returns, starts);
    }

    /** The steps of an observation batch built from {@link #counting} data. */
    static List<Integer> stepsOf(Batch batch) {
        List<Integer> steps = new ArrayList<>();
        for (float[] row : batch.observations()) {
            steps.add((int) row[0]);
        }
        return steps;
    }

    /** Runs {@code expert} deterministically for whole episodes of {@code env}, as the reference's {@code generate_expert_traj}. */
    static TrajectoryData record(Env env, Predictor expert, int episodes, long seed) {
        List<float[]> obs = new ArrayList<>();
        List<float[]> actions = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        List<Boolean> starts = new ArrayList<>();
        double[] returns = new double[episodes];
        for (int episode = 0; episode < episodes; episode++) {
            float[] observation = env.reset(seed + episode).clone();
            boolean done = false;
            boolean first = true;
            while (!done) {
                float[] action = expert.predict(observation, true);
                StepResult result = env.step(action);
                obs.add(observation);
                actions.add(action.clone());
                rewards.add(result.reward());
                starts.add(first);
                returns[episode] += result.reward();
                observation = result.obs().clone();
                done = result.terminated() || result.truncated();
                first = false;
            }
        }
        boolean[] startArray = new boolean[starts.size()];
        for (int i = 0; i < startArray.length; i++) {
            startArray[i] = starts.get(i);
        }
        return new TrajectoryData(obs.toArray(float[][]::new), actions.toArray(float[][]::new),
                rewards.stream().mapToDouble(Double::doubleValue).toArray(), returns, startArray,
                TrajectoryData.Layout.forSpaces(env.observationSpace(), env.actionSpace()));
    }
}
