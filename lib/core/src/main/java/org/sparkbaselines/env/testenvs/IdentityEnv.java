package org.sparkbaselines.env.testenvs;

import org.sparkbaselines.env.BaseEnv;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * The reference's identity test env: the agent must repeat the observation as its action.
 *
 * <p>Observation and action space are one and the same object ({@code Discrete(dim)} here, other
 * spaces in the subclasses). Each step rewards 1 when the action matches the current state, else 0,
 * then draws the next state from the space. An episode ends after {@code epLength} steps; that end
 * is a time-out, so it is reported as {@code truncated=true, terminated=false}.
 *
 * <p>Defaults as the reference's {@code IdentityEnv(dim=None -> 1, ep_length=100)}: {@code dim = 1},
 * {@code epLength = 100}.
 *
 * <p>States are drawn with the space's own sampler, as the original does. {@code reset(seed)}
 * reseeds that sampler from the seed, so the same seed gives the same sequence of states (and,
 * the space being shared, of {@code actionSpace().sample()} draws).
 */
public class IdentityEnv extends BaseEnv {
    public static final int DEFAULT_DIM = 1;
    public static final int DEFAULT_EP_LENGTH = 100;

    private final Space space;
    private final int epLength;
    private final SeededSampling sampling;
    /** The current state, returned as the observation. */
    private final float[] state;
    private int currentStep;

    /** {@code IdentityEnv(1, 100)}. */
    public IdentityEnv() {
        this(DEFAULT_DIM, DEFAULT_EP_LENGTH);
    }

    /** Discrete(dim) observations and actions, episodes of {@code epLength} steps. */
    public IdentityEnv(int dim, int epLength) {
        this(new Discrete(dim), epLength);
    }

    /** For the variants: {@code space} serves as both observation and action space. */
    protected IdentityEnv(Space space, int epLength) {
        if (epLength <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": epLength must be positive, got " + epLength);
        }
        this.space = space;
        this.epLength = epLength;
        this.sampling = new SeededSampling(space, random);
        this.state = new float[space.flatDim()];
    }

    @Override
    public Space observationSpace() {
        return space;
    }

    @Override
    public Space actionSpace() {
        return space;
    }

    public int epLength() {
        return epLength;
    }

    @Override
    protected float[] resetState() {
        currentStep = 0;
        sampling.sample(random, state);
        return state;
    }

    @Override
    public StepResult step(float[] action) {
        space.checkLength(action, getClass().getSimpleName() + " action");
        double reward = matches(state, action) ? 1 : 0;
        sampling.sample(random, state);
        currentStep++;
        return result.set(state, reward, false, currentStep >= epLength);
    }

    /** Whether {@code action} earns the reward in {@code state}: here every entry equal. */
    protected boolean matches(float[] state, float[] action) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != action[i]) {
                return false;
            }
        }
        return true;
    }
}
