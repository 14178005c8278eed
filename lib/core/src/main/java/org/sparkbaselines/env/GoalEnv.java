package org.sparkbaselines.env;

import java.util.List;
import java.util.Map;
import org.sparkbaselines.spaces.DictSpace;

/**
 * A goal-conditioned env (Gym's {@code GoalEnv}, what HER needs): the observation space is a
 * {@link DictSpace} with keys {@code observation}, {@code achieved_goal} and {@code desired_goal},
 * and the reward can be recomputed for any goal with {@link #computeReward}.
 */
public interface GoalEnv extends Env {
    String OBSERVATION = "observation";
    String ACHIEVED_GOAL = "achieved_goal";
    String DESIRED_GOAL = "desired_goal";

    @Override
    DictSpace observationSpace();

    /** The reward the env would give for reaching {@code achievedGoal} when {@code desiredGoal} was asked. */
    double computeReward(float[] achievedGoal, float[] desiredGoal, Map<String, Object> info);

    /** Batched form: row i of each array is one transition; {@code infos} may be null. */
    default double[] computeReward(float[][] achievedGoals, float[][] desiredGoals, List<Map<String, Object>> infos) {
        if (achievedGoals.length != desiredGoals.length) {
            throw new IllegalArgumentException("computeReward: " + achievedGoals.length + " achieved goals but "
                    + desiredGoals.length + " desired goals");
        }
        double[] rewards = new double[achievedGoals.length];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = computeReward(achievedGoals[i], desiredGoals[i], infos == null ? null : infos.get(i));
        }
        return rewards;
    }
}
