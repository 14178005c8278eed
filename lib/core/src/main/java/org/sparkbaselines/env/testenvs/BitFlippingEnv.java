package org.sparkbaselines.env.testenvs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparkbaselines.env.BaseEnv;
import org.sparkbaselines.env.GoalEnv;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.Space;

/**
 * The reference's bit-flipping goal env, the HER test bed: flip bits until all of them are 1.
 *
 * <p>Observation: {@code Dict(observation, achieved_goal, desired_goal)}, each {@code MultiBinary(nBits)};
 * with {@code discreteObsSpace} each is instead the integer {@code sum(state[i] * 2^i)} in a
 * {@code Discrete(2^nBits)}. The observation and the achieved goal are both the current state; the
 * desired goal is all ones.
 *
 * <p>Action: {@code Discrete(nBits)} flips the chosen bit; with {@code continuous},
 * {@code Box(-1, 1, (nBits,))} flips every bit whose action component is {@code > 0}.
 *
 * <p>Reward {@link #computeReward}: 0 when the achieved goal equals the desired one, else -1. Reaching
 * the goal terminates the episode ({@code info["is_success"] = true}); otherwise it is truncated after
 * {@code maxSteps} steps. {@code reset} draws the state from a {@code MultiBinary(nBits)} space that
 * {@code reset(seed)} reseeds.
 *
 * <p>Defaults as the reference: {@code nBits = 10, continuous = false, maxSteps = null (-> nBits),
 * discreteObsSpace = false}.
 *
 * <p>One deliberate difference: the reference declares {@code Discrete(2^nBits - 1)}, which excludes
 * its own desired goal {@code 2^nBits - 1}; this port declares {@code Discrete(2^nBits)} (as SB3 does)
 * so that every observation lies in the space.
 */
public final class BitFlippingEnv extends BaseEnv implements GoalEnv {
    public static final int DEFAULT_N_BITS = 10;
    /** Discrete observations must stay exact in a float and in an int. */
    public static final int MAX_DISCRETE_OBS_BITS = 24;

    private final int nBits;
    private final boolean continuous;
    private final int maxSteps;
    private final boolean discreteObsSpace;
    private final DictSpace observationSpace;
    private final Space actionSpace;
    private final SeededSampling stateSampling;
    /** The bits, one float each. */
    private final float[] state;
    /** The state as a goal: the bits, or their integer value with discrete observations. */
    private final float[] achievedGoal;
    private final float[] desiredGoal;
    private final float[] obs;
    private int currentStep;

    /** {@code BitFlippingEnv(10, false, null, false)}. */
    public BitFlippingEnv() {
        this(DEFAULT_N_BITS, false, null, false);
    }

    /**
     * @param nBits number of bits to flip
     * @param continuous Box actions (flip where {@code > 0}) instead of Discrete ones
     * @param maxSteps steps before truncation; null means {@code nBits}
     * @param discreteObsSpace each observation key as one integer instead of the bits
     */
    public BitFlippingEnv(int nBits, boolean continuous, Integer maxSteps, boolean discreteObsSpace) {
        if (nBits <= 0) {
            throw new IllegalArgumentException("BitFlippingEnv: nBits must be positive, got " + nBits);
        }
        if (discreteObsSpace && nBits > MAX_DISCRETE_OBS_BITS) {
            throw new IllegalArgumentException("BitFlippingEnv: discrete observations support at most "
                    + MAX_DISCRETE_OBS_BITS + " bits, got " + nBits);
        }
        if (maxSteps != null && maxSteps <= 0) {
            throw new IllegalArgumentException("BitFlippingEnv: maxSteps must be positive, got " + maxSteps);
        }
        this.nBits = nBits;
        this.continuous = continuous;
        this.maxSteps = maxSteps == null ? nBits : maxSteps;
        this.discreteObsSpace = discreteObsSpace;

        Map<String, Space> keys = new LinkedHashMap<>();
        for (String key : new String[] {OBSERVATION, ACHIEVED_GOAL, DESIRED_GOAL}) {
            keys.put(key, discreteObsSpace ? new Discrete(1 << nBits) : new MultiBinary(nBits));
        }
        this.observationSpace = new DictSpace(keys);
        this.actionSpace = continuous ? new Box(-1f, 1f, nBits) : new Discrete(nBits);
        this.stateSampling = new SeededSampling(new MultiBinary(nBits), random);

        this.state = new float[nBits];
        int goalDim = discreteObsSpace ? 1 : nBits;
        this.achievedGoal = new float[goalDim];
        this.desiredGoal = new float[goalDim];
        float[] allOnes = new float[nBits];
        Arrays.fill(allOnes, 1f);
        encode(allOnes, desiredGoal);
        this.obs = new float[observationSpace.flatDim()];
    }

    @Override
    public DictSpace observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    public int nBits() {
        return nBits;
    }

    public boolean continuous() {
        return continuous;
    }

    public int maxSteps() {
        return maxSteps;
    }

    public boolean discreteObsSpace() {
        return discreteObsSpace;
    }

    @Override
    protected float[] resetState() {
        currentStep = 0;
        stateSampling.sample(random, state);
        return observe();
    }

    @Override
    public StepResult step(float[] action) {
        if (continuous) {
            // The reference flips on the sign and does not clip, so any length-nBits vector is accepted.
            actionSpace.checkLength(action, "BitFlippingEnv action");
            for (int i = 0; i < nBits; i++) {
                if (action[i] > 0) {
                    flip(i);
                }
            }
        } else {
            requireValidAction(action);
            flip((int) action[0]);
        }
        currentStep++;
        observe();
        double reward = computeReward(achievedGoal, desiredGoal, null);
        boolean reached = reward == 0;
        result.set(obs, reward, reached, !reached && currentStep >= maxSteps);
        result.info().put(Infos.IS_SUCCESS, reached);
        return result;
    }

    /** 0 when the goals are equal, else -1 (the reference's deceptive reward). */
    @Override
    public double computeReward(float[] achievedGoal, float[] desiredGoal, Map<String, Object> info) {
        if (achievedGoal.length != desiredGoal.length) {
            throw new IllegalArgumentException("BitFlippingEnv.computeReward: achieved goal has " + achievedGoal.length
                    + " values but desired goal has " + desiredGoal.length);
        }
        for (int i = 0; i < achievedGoal.length; i++) {
            if (achievedGoal[i] != desiredGoal[i]) {
                return -1.0;
            }
        }
        return 0.0;
    }

    private void flip(int bit) {
        state[bit] = 1f - state[bit];
    }

    /** Refreshes the achieved goal and the observation from the state; returns the observation. */
    private float[] observe() {
        encode(state, achievedGoal);
        System.arraycopy(achievedGoal, 0, obs, observationSpace.offset(OBSERVATION), achievedGoal.length);
        System.arraycopy(achievedGoal, 0, obs, observationSpace.offset(ACHIEVED_GOAL), achievedGoal.length);
        System.arraycopy(desiredGoal, 0, obs, observationSpace.offset(DESIRED_GOAL), desiredGoal.length);
        return obs;
    }

    /** Writes {@code bits} as a goal: unchanged, or as the integer {@code sum(bits[i] * 2^i)} with discrete observations. */
    private void encode(float[] bits, float[] goal) {
        if (discreteObsSpace) {
            int value = 0;
            for (int i = 0; i < bits.length; i++) {
                value += (int) bits[i] << i;
            }
            goal[0] = value;
        } else {
            System.arraycopy(bits, 0, goal, 0, bits.length);
        }
    }
}
