package org.sparkbaselines.common.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActionNoiseTest {

    @Test
    void normalNoiseHasItsMeanAndStandardDeviation() {
        NormalActionNoise noise = new NormalActionNoise(new double[] {0.5, -1}, new double[] {0.1, 2}, 3L);
        int n = 200_000;
        double[] sum = new double[2];
        double[] sumSquares = new double[2];
        for (int i = 0; i < n; i++) {
            float[] draw = noise.sample();
            for (int j = 0; j < 2; j++) {
                sum[j] += draw[j];
                sumSquares[j] += draw[j] * draw[j];
            }
        }
        assertEquals(0.5, sum[0] / n, 0.002);
        assertEquals(-1, sum[1] / n, 0.02);
        assertEquals(0.1, Math.sqrt(sumSquares[0] / n - Math.pow(sum[0] / n, 2)), 0.002);
        assertEquals(2, Math.sqrt(sumSquares[1] / n - Math.pow(sum[1] / n, 2)), 0.02);
    }

    /**
     * {@code x' = (1 - theta dt) x + sigma sqrt(dt) N(0, 1)} around mean 0: lag-one autocorrelation {@code 1 - theta dt}
     * and stationary variance {@code sigma^2 dt / (1 - (1 - theta dt)^2)}.
     */
    @Test
    void ornsteinUhlenbeckNoiseHasItsCorrelationAndStationaryVariance() {
        double sigma = 0.3;
        double theta = 0.15;
        double dt = 0.5;
        OrnsteinUhlenbeckActionNoise noise = new OrnsteinUhlenbeckActionNoise(new double[] {0}, new double[] {sigma}, theta, dt, null, 5L);
        for (int i = 0; i < 1000; i++) {
            noise.sample();
        }
        int n = 400_000;
        double previous = noise.sample()[0];
        double sum = 0;
        double sumSquares = 0;
        double sumProducts = 0;
        for (int i = 0; i < n; i++) {
            double x = noise.sample()[0];
            sum += x;
            sumSquares += x * x;
            sumProducts += x * previous;
            previous = x;
        }
        double variance = sumSquares / n - Math.pow(sum / n, 2);
        double decay = 1 - theta * dt;
        assertEquals(sigma * sigma * dt / (1 - decay * decay), variance, 0.03 * variance);
        assertEquals(decay, (sumProducts / n) / variance, 0.01);
        assertEquals(0, sum / n, 0.03);
    }

    @Test
    void ornsteinUhlenbeckNoiseRestartsFromItsInitialNoiseAtReset() {
        OrnsteinUhlenbeckActionNoise noise = new OrnsteinUhlenbeckActionNoise(new double[] {1}, new double[] {0}, 0.15, 1e-2, new double[] {4},
                1L);
        assertEquals(4 + 0.15 * (1 - 4) * 1e-2, noise.sample()[0], 1e-6);
        noise.sample();
        noise.reset();
        assertEquals(4 + 0.15 * (1 - 4) * 1e-2, noise.sample()[0], 1e-6);
    }

    @Test
    void badNoiseIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new NormalActionNoise(new double[] {0}, new double[] {-1}, 0L));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> ActionNoise.of("pink", 0.1, 1, 0L));
        assertTrue(type.getMessage().contains("pink"), type.getMessage());
    }
}
