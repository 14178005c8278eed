package org.sparkbaselines.env;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.Space;

/**
 * Small envs for {@link EnvChecker} tests: a valid one and variants that each break one rule of the
 * {@link Env} contract, or only trigger a warning.
 */
public final class BrokenEnvs {
    private BrokenEnvs() {
    }

    /**
     * A valid env to break: observations {@code Box(-1, 1, (4,))} (0 at reset, 0.5 after a step),
     * actions {@code Discrete(2)}, reward 1, episodes truncated after {@link #EPISODE_STEPS} steps.
     */
    public static class ValidEnv extends BaseEnv {
        public static final int EPISODE_STEPS = 5;

        private final Space observationSpace;
        private final Space actionSpace;
        protected final float[] obs;
        private int stepsTaken;

        public ValidEnv() {
            this(new Box(-1f, 1f, 4), new Discrete(2));
        }

        public ValidEnv(Space observationSpace, Space actionSpace) {
            this.observationSpace = observationSpace;
            this.actionSpace = actionSpace;
            this.obs = new float[observationSpace.flatDim()];
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
        protected float[] resetState() {
            stepsTaken = 0;
            return resetObservation();
        }

        @Override
        public StepResult step(float[] action) {
            requireValidAction(action);
            stepsTaken++;
            return result.set(stepObservation(stepsTaken), reward(stepsTaken), false, stepsTaken >= EPISODE_STEPS);
        }

        protected float[] resetObservation() {
            Arrays.fill(obs, 0f);
            return obs;
        }

        /** The observation after step {@code step} (1-based) of the episode. */
        protected float[] stepObservation(int step) {
            Arrays.fill(obs, 0.5f);
            return obs;
        }

        protected double reward(int step) {
            return 1.0;
        }
    }

    /** reset() returns 3 values for a 4-value Box. */
    public static final class WrongResetLength extends ValidEnv {
        @Override
        protected float[] resetObservation() {
            return new float[3];
        }
    }

    /** reset() observes 2 in a Box(-1, 1). */
    public static final class ObservationOutsideSpace extends ValidEnv {
        @Override
        protected float[] resetObservation() {
            Arrays.fill(obs, 2f);
            return obs;
        }
    }

    /** Every step rewards NaN. */
    public static final class NanReward extends ValidEnv {
        @Override
        protected double reward(int step) {
            return Double.NaN;
        }
    }

    /** The third step of every episode observes NaN: only the random-step check reaches it. */
    public static final class NanObservationOnThirdStep extends ValidEnv {
        public static final int NAN_STEP = 3;

        @Override
        protected float[] stepObservation(int step) {
            Arrays.fill(obs, step == NAN_STEP ? Float.NaN : 0.5f);
            return obs;
        }
    }

    /** Declares no action space. */
    public static final class NullActionSpace extends ValidEnv {
        @Override
        public Space actionSpace() {
            return null;
        }
    }

    /** step() returns null. */
    public static final class NullStepResult extends ValidEnv {
        @Override
        public StepResult step(float[] action) {
            return null;
        }
    }

    /** Ignores the seed: every reset observes fresh unseeded noise (a warning, not an error). */
    public static final class UnseededReset extends ValidEnv {
        @Override
        protected float[] resetObservation() {
            SplittableRandom unseeded = new SplittableRandom();
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) unseeded.nextDouble();
            }
            return obs;
        }
    }

    /** Valid, but its action space Box(0, 2, (2,)) is neither symmetric nor normalized (a warning). */
    public static final class NonSymmetricActions extends ValidEnv {
        public NonSymmetricActions() {
            super(new Box(-1f, 1f, 4), new Box(0f, 2f, 2));
        }
    }

    /** Valid, but observes a 10x10x3 float32 image in [0, 1] (warnings: dtype, bounds, resolution). */
    public static final class SmallFloatImage extends ValidEnv {
        public SmallFloatImage() {
            super(new Box(0f, 1f, 10, 10, 3), new Discrete(2));
        }
    }

    /**
     * A valid goal env: goals MultiBinary(2), the achieved goal stays [0, 0], the desired one is [1, 1];
     * each step rewards what {@link #computeReward} gives (-1) and episodes never end.
     */
    public static class ConsistentGoalEnv extends BaseEnv implements GoalEnv {
        private static final float[] ACHIEVED = {0f, 0f};
        private static final float[] DESIRED = {1f, 1f};

        private final DictSpace observationSpace;
        private final Space actionSpace = new Discrete(2);
        private final float[] obs;

        public ConsistentGoalEnv() {
            Map<String, Space> keys = new LinkedHashMap<>();
            for (String key : List.of(OBSERVATION, ACHIEVED_GOAL, DESIRED_GOAL)) {
                keys.put(key, new MultiBinary(2));
            }
            observationSpace = new DictSpace(keys);
            obs = new float[observationSpace.flatDim()];
            observationSpace.put(obs, ACHIEVED_GOAL, ACHIEVED);
            observationSpace.put(obs, DESIRED_GOAL, DESIRED);
        }

        @Override
        public DictSpace observationSpace() {
            return observationSpace;
        }

        @Override
        public Space actionSpace() {
            return actionSpace;
        }

        @Override
        protected float[] resetState() {
            return obs;
        }

        @Override
        public StepResult step(float[] action) {
            return result.set(obs, stepReward(), false, false);
        }

        protected double stepReward() {
            return computeReward(ACHIEVED, DESIRED, null);
        }

        @Override
        public double computeReward(float[] achievedGoal, float[] desiredGoal, Map<String, Object> info) {
            return Arrays.equals(achievedGoal, desiredGoal) ? 0.0 : -1.0;
        }
    }

    /** Claims success (reward 0) on every step although computeReward gives -1. */
    public static final class InconsistentGoalReward extends ConsistentGoalEnv {
        @Override
        protected double stepReward() {
            return 0.0;
        }
    }

    /** The single computeReward is right, the batched one always answers -1. */
    public static final class InconsistentBatchedGoalReward extends ConsistentGoalEnv {
        @Override
        public double[] computeReward(float[][] achievedGoals, float[][] desiredGoals, List<Map<String, Object>> infos) {
            double[] rewards = new double[achievedGoals.length];
            Arrays.fill(rewards, -1.0);
            return rewards;
        }
    }
}
