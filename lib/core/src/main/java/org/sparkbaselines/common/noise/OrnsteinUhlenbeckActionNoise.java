package org.sparkbaselines.common.noise;

import java.util.SplittableRandom;

/**
 * The reference's {@code OrnsteinUhlenbeckActionNoise(mean, sigma, theta=0.15, dt=1e-2, initial_noise=None)}: temporally
 * correlated noise {@code x += theta (mean - x) dt + sigma sqrt(dt) N(0, 1)}, starting from {@code initialNoise} (zero
 * when null) at every {@link #reset}.
 */
public final class OrnsteinUhlenbeckActionNoise implements ActionNoise {
    private final double[] mean;
    private final double[] sigma;
    private final double theta;
    private final double dt;
    private final double[] initialNoise;
    private final double[] state;
    private final SplittableRandom random;
    private final float[] draw;

    /** With the reference's {@code theta = 0.15, dt = 1e-2} and no initial noise. */
    public OrnsteinUhlenbeckActionNoise(double[] mean, double[] sigma, long seed) {
        this(mean, sigma, 0.15, 1e-2, null, seed);
    }

    public OrnsteinUhlenbeckActionNoise(double[] mean, double[] sigma, double theta, double dt, double[] initialNoise, long seed) {
        if (mean.length != sigma.length || (initialNoise != null && initialNoise.length != mean.length)) {
            throw new IllegalArgumentException("OrnsteinUhlenbeckActionNoise: mean, sigma and initial noise need one entry per action");
        }
        if (!(theta >= 0) || !(dt > 0) || Double.isInfinite(theta) || Double.isInfinite(dt)) {
            throw new IllegalArgumentException("OrnsteinUhlenbeckActionNoise: theta >= 0 and dt > 0 must be finite, got " + theta + ", " + dt);
        }
        this.mean = mean.clone();
        this.sigma = sigma.clone();
        this.theta = theta;
        this.dt = dt;
        this.initialNoise = initialNoise == null ? null : initialNoise.clone();
        this.state = new double[mean.length];
        this.random = new SplittableRandom(seed);
        this.draw = new float[mean.length];
        reset();
    }

    @Override
    public float[] sample() {
        double scale = Math.sqrt(dt);
        for (int i = 0; i < state.length; i++) {
            state[i] += theta * (mean[i] - state[i]) * dt + sigma[i] * scale * random.nextGaussian();
            draw[i] = (float) state[i];
        }
        return draw;
    }

    @Override
    public void reset() {
        for (int i = 0; i < state.length; i++) {
            state[i] = initialNoise == null ? 0 : initialNoise[i];
        }
    }
}
