package org.sparkbaselines.spaces;

import java.util.Arrays;

/** A vector of independent discrete choices, Gym's {@code MultiDiscrete(nvec)}: entry i lies in {@code 0 .. nvec[i]-1}. */
public final class MultiDiscrete extends Space {
    private final int[] nvec;

    public MultiDiscrete(int... nvec) {
        super(new int[] {nvec.length});
        for (int k : nvec) {
            if (k <= 0) {
                throw new IllegalArgumentException("MultiDiscrete needs every nvec entry > 0, got " + Arrays.toString(nvec));
            }
        }
        this.nvec = nvec.clone();
    }

    public int[] nvec() {
        return nvec.clone();
    }

    @Override
    public int flatDim() {
        return nvec.length;
    }

    @Override
    public void sample(float[] out) {
        for (int i = 0; i < nvec.length; i++) {
            out[i] = random().nextInt(nvec[i]);
        }
    }

    @Override
    public boolean contains(float[] x) {
        if (x == null || x.length != nvec.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!isInteger(x[i]) || x[i] < 0 || x[i] >= nvec[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isDiscrete() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiDiscrete m && Arrays.equals(m.nvec, nvec);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nvec);
    }

    @Override
    public String toString() {
        return "MultiDiscrete(" + Arrays.toString(nvec) + ")";
    }
}
