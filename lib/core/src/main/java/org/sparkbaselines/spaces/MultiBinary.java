package org.sparkbaselines.spaces;

/** A vector of {@code n} independent bits, Gym's {@code MultiBinary(n)}. */
public final class MultiBinary extends Space {
    private final int n;

    public MultiBinary(int n) {
        super(new int[] {n});
        this.n = n;
    }

    public int n() {
        return n;
    }

    @Override
    public int flatDim() {
        return n;
    }

    @Override
    public void sample(float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = random().nextBoolean() ? 1f : 0f;
        }
    }

    @Override
    public boolean contains(float[] x) {
        if (x == null || x.length != n) {
            return false;
        }
        for (float v : x) {
            if (v != 0f && v != 1f) {
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
        return o instanceof MultiBinary m && m.n == n;
    }

    @Override
    public int hashCode() {
        return n;
    }

    @Override
    public String toString() {
        return "MultiBinary(" + n + ")";
    }
}
