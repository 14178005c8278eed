package org.sparkbaselines.env;

/**
 * Truncates episodes after {@code maxEpisodeSteps} steps, as Gymnasium's {@code TimeLimit}: the last
 * step reports {@code truncated=true} (a time-out is not a terminal state).
 */
public final class TimeLimit extends EnvWrapper {
    private final int maxEpisodeSteps;
    private int elapsedSteps = -1;

    public TimeLimit(Env env, int maxEpisodeSteps) {
        super(env);
        if (maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsedSteps;
    }

    @Override
    public float[] reset(Long seed) {
        elapsedSteps = 0;
        return env.reset(seed);
    }

    @Override
    public StepResult step(float[] action) {
        if (elapsedSteps < 0) {
            throw new IllegalStateException("step() called before reset() on " + env.getClass().getSimpleName());
        }
        StepResult r = env.step(action);
        if (++elapsedSteps >= maxEpisodeSteps) {
            r.setTruncated(true);
        }
        return r;
    }
}
