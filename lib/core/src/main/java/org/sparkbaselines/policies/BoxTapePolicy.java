package org.sparkbaselines.policies;

import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * A {@link TapePolicy} whose actor acts in [-1, 1] (tanh) and whose actions are rescaled to a Box: TD3's, SAC's and
 * DDPG's.
 */
public abstract class BoxTapePolicy extends TapePolicy {
    protected final Box actionSpace;

    /** @param algorithm names the algorithm in the error for an action space other than Box */
    protected BoxTapePolicy(String algorithm, Space observationSpace, Space actionSpace) {
        super(observationSpace);
        if (!(actionSpace instanceof Box box)) {
            throw new IllegalArgumentException(algorithm + " needs a Box action space, got " + actionSpace);
        }
        this.actionSpace = box;
    }

    @Override
    public Box actionSpace() {
        return actionSpace;
    }

    /** A [-1, 1] action computed in double precision, rounded to float and rescaled to the Box. */
    protected final float[] unscaled(double[] scaled) {
        float[] rounded = new float[scaled.length];
        for (int i = 0; i < scaled.length; i++) {
            rounded[i] = (float) scaled[i];
        }
        return actionSpace.unscale(rounded, 0, new float[scaled.length]);
    }
}
