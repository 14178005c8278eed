package org.sparkbaselines.vec;

import java.util.Arrays;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.spaces.Box;

/**
 * Stacks the last {@code nStack} observations along the last axis, the reference's
 * {@code VecFrameStack(venv, n_stack)}: a Box of shape {@code (..., c)} becomes {@code (..., c * nStack)},
 * newest frame last. When an env is done its stack is zeroed before the new episode's first frame
 * goes in, and its {@code terminal_observation} is replaced by the stacked terminal observation.
 */
public final class VecFrameStack extends VecEnvWrapper {
    private final int nStack;
    private final int channels;
    private final int pixels;
    private final Box stackedSpace;
    private final float[][] stacked;
    private final VecStepResult result;

    public VecFrameStack(VecEnv venv, int nStack) {
        super(venv);
        if (nStack < 1) {
            throw new IllegalArgumentException("nStack must be at least 1, got " + nStack);
        }
        if (!(venv.observationSpace() instanceof Box box)) {
            throw new IllegalArgumentException("VecFrameStack needs a Box observation space, got " + venv.observationSpace());
        }
        int[] shape = box.shape();
        this.nStack = nStack;
        this.channels = shape[shape.length - 1];
        this.pixels = box.flatDim() / channels;
        int[] stackedShape = shape.clone();
        stackedShape[shape.length - 1] = channels * nStack;
        this.stackedSpace = new Box(repeat(box.low()), repeat(box.high()), box.dtype(), stackedShape);
        this.stacked = new float[venv.numEnvs()][box.flatDim() * nStack];
        this.result = new VecStepResult(venv.numEnvs(), box.flatDim() * nStack);
    }

    public int nStack() {
        return nStack;
    }

    @Override
    public Box observationSpace() {
        return stackedSpace;
    }

    @Override
    public float[][] reset() {
        float[][] obs = venv.reset();
        for (int i = 0; i < obs.length; i++) {
            Arrays.fill(stacked[i], 0f);
            pushNewest(stacked[i], obs[i]);
        }
        return stacked;
    }

    @Override
    public VecStepResult stepWait() {
        VecStepResult inner = venv.stepWait();
        result.copyOutcomes(inner);
        float[][] obs = inner.obs();
        for (int i = 0; i < obs.length; i++) {
            float[] stack = stacked[i];
            shiftOldest(stack);
            if (inner.dones()[i]) {
                Object terminal = result.infos()[i].get(Infos.TERMINAL_OBSERVATION);
                if (terminal instanceof float[] t) {
                    float[] stackedTerminal = stack.clone();
                    pushNewest(stackedTerminal, t);
                    result.infos()[i].put(Infos.TERMINAL_OBSERVATION, stackedTerminal);
                }
                Arrays.fill(stack, 0f);
            }
            pushNewest(stack, obs[i]);
            System.arraycopy(stack, 0, result.obs()[i], 0, stack.length);
        }
        return result;
    }

    /** Rolls each pixel's channel block left by one frame (the reference's {@code np.roll(shift=-c, axis=-1)}). */
    private void shiftOldest(float[] stack) {
        int width = channels * nStack;
        for (int p = 0; p < pixels; p++) {
            int base = p * width;
            System.arraycopy(stack, base + channels, stack, base, width - channels);
        }
    }

    /** Writes a frame into each pixel's last channel block. */
    private void pushNewest(float[] stack, float[] frame) {
        int width = channels * nStack;
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(frame, p * channels, stack, p * width + width - channels, channels);
        }
    }

    private float[] repeat(float[] bound) {
        float[] out = new float[bound.length * nStack];
        for (int p = 0; p < pixels; p++) {
            for (int k = 0; k < nStack; k++) {
                System.arraycopy(bound, p * channels, out, (p * nStack + k) * channels, channels);
            }
        }
        return out;
    }
}
