package org.sparkbaselines.common.noise;

import java.util.SplittableRandom;

/** The reference's {@code NormalActionNoise(mean, sigma)}: independent Gaussian draws {@code mean + sigma N(0, 1)}. */
public final class NormalActionNoise implements ActionNoise {
    private final double[] mean;
    private final double[] sigma;
    private final SplittableRandom random;
    private final float[] draw;

    public NormalActionNoise(double[] mean, double[] sigma, long seed) {
        if (mean.length != sigma.length) {
            throw new IllegalArgumentException("NormalActionNoise: mean has " + mean.length + " entries, sigma " + sigma.length);
        }
        for (double s : sigma) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("NormalActionNoise: sigma must be finite and >= 0, got " + s);
            }
        }
        this.mean = mean.clone();
        this.sigma = sigma.clone();
        this.random = new SplittableRandom(seed);
        this.draw = new float[mean.length];
    }

    @Override
    public float[] sample() {
        for (int i = 0; i < draw.length; i++) {
            draw[i] = (float) (mean[i] + sigma[i] * random.nextGaussian());
        }
        return draw;
    }
}
