package org.sparkbaselines.spaces;

/** The integers {@code 0 .. n-1}, Gym's {@code Discrete(n)}; an element is one float holding the index. */
public final class Discrete extends Space {
    private final int n;

    public Discrete(int n) {
        super(new int[0]);
        if (n <= 0) {
            throw new IllegalArgumentException("Discrete needs n > 0, got " + n);
        }
        this.n = n;
    }

    public int n() {
        return n;
    }

    @Override
    public int flatDim() {
        return 1;
    }

    @Override
    public void sample(float[] out) {
        out[0] = random().nextInt(n);
    }

    @Override
    public boolean contains(float[] x) {
        return x != null && x.length == 1 && isInteger(x[0]) && x[0] >= 0 && x[0] < n;
    }

    @Override
    public boolean isDiscrete() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Discrete d && d.n == n;
    }

    @Override
    public int hashCode() {
        return n;
    }

    @Override
    public String toString() {
        return "Discrete(" + n + ")";
    }
}
