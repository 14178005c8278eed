package org.sparkbaselines.common.noise;

/**
 * Exploration noise added to a deterministic policy's actions (in the policy's [-1, 1] scale), as the reference's
 * {@code ActionNoise}: {@link #sample} gives the next draw, {@link #reset} starts a new episode.
 */
public interface ActionNoise {

    /** The next noise vector (a reused array: copy what you keep). */
    float[] sample();

    /** Called at the start of each episode. */
    default void reset() {
    }

    /**
     * The noise the reference's zoo configs name: {@code noiseType} {@code "normal"} or {@code "ornstein-uhlenbeck"}
     * with standard deviation {@code std} on each of {@code dim} actions (null type: none).
     */
    static ActionNoise of(String noiseType, double std, int dim, long seed) {
        if (noiseType == null) {
            return null;
        }
        double[] mean = new double[dim];
        double[] sigma = new double[dim];
        java.util.Arrays.fill(sigma, std);
        return switch (noiseType) {
            case "normal" -> new NormalActionNoise(mean, sigma, seed);
            case "ornstein-uhlenbeck" -> new OrnsteinUhlenbeckActionNoise(mean, sigma, seed);
            default -> throw new IllegalArgumentException("unknown noise_type '" + noiseType + "'; known: normal, ornstein-uhlenbeck");
        };
    }
}
