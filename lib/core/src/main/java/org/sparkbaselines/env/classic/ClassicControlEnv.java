package org.sparkbaselines.env.classic;

import java.util.Arrays;
import java.util.List;
import org.sparkbaselines.env.BaseEnv;
import org.sparkbaselines.env.HasState;
import org.sparkbaselines.spaces.Space;

/**
 * What the five classic-control envs share: their spaces, the one observation array every
 * {@code reset}/{@code step} returns, action and state checks, and the {@code rgb_array} render mode.
 * Subclasses keep their state in double fields (Gymnasium's float64) and write the float32
 * observation in {@link #observe()}.
 */
abstract class ClassicControlEnv extends BaseEnv implements HasState {
    private static final List<String> RENDER_MODES = List.of("rgb_array");

    private final Space observationSpace;
    private final Space actionSpace;
    private final List<String> stateVariables;
    /** Reused for every observation, so stepping allocates nothing. */
    protected final float[] obs;

    /** {@code stateVariables} names the {@link #getState()} entries in order, for error messages. */
    ClassicControlEnv(Space observationSpace, Space actionSpace, String... stateVariables) {
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.stateVariables = List.of(stateVariables);
        this.obs = new float[observationSpace.flatDim()];
    }

    @Override
    public final Space observationSpace() {
        return observationSpace;
    }

    @Override
    public final Space actionSpace() {
        return actionSpace;
    }

    @Override
    public final List<String> renderModes() {
        return RENDER_MODES;
    }

    /**
     * Replaces the state with {@code state} (in {@link #getState()} order) as the original holds it
     * right after {@code reset}, and returns the observation of it.
     */
    @Override
    public final float[] setState(double[] state) {
        if (state == null || state.length != stateVariables.size()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a state is " + stateVariables.size()
                    + " values " + stateVariables + ", got " + Arrays.toString(state));
        }
        applyState(state);
        return observe();
    }

    /** Stores a state of the right length. */
    protected abstract void applyState(double[] state);

    /** Writes the observation of the current state into {@link #obs} and returns it. */
    protected abstract float[] observe();

    /** The index of a Discrete action, refused unless it belongs to the action space. */
    protected final int discreteAction(float[] action) {
        requireValidAction(action);
        return (int) action[0];
    }

    /**
     * The value of a one-dimensional Box action. Values outside the bounds are returned as they are,
     * since the originals clip (and some reward) them; a wrong length or NaN is refused.
     */
    protected final float scalarBoxAction(float[] action) {
        if (action == null || action.length != 1 || Float.isNaN(action[0])) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": action " + Arrays.toString(action)
                    + " is not a value of " + actionSpace);
        }
        return action[0];
    }
}
