package org.sparkbaselines.env.classic;

import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;

/**
 * The continuous mountain car, Gymnasium 0.29.1's {@code Continuous_MountainCarEnv}
 * ({@code MountainCarContinuous-v0}): the mountain car with a continuous engine force.
 *
 * <ul>
 *   <li>Actions: {@code Box(-1, 1, (1,))}, the force. Values outside the bounds are clipped for
 *       the dynamics, while the reward charges the unclipped value, as in the original; NaN or a
 *       wrong length is an error.</li>
 *   <li>Observations: {@code Box(2)} of position in [-1.2, 0.6] and velocity in [-0.07, 0.07].</li>
 *   <li>Reward {@code -0.1 action^2} per step, plus 100 on reaching position 0.45 at velocity
 *       &gt;= {@code goal_velocity} (default 0), which terminates.</li>
 *   <li>Reset: position uniform in [-0.6, -0.4), velocity 0.</li>
 * </ul>
 *
 * <p>Follows the original's precision exactly: the state is float64 after reset, each step computes
 * in float64 and then stores the state as float32, which is also the observation.
 * {@link #getState()} is {@code [position, velocity]}.
 */
public final class ContinuousMountainCarEnv extends MountainCarBase {
    private static final double POWER = 0.0015;
    private static final float MIN_ACTION = -1.0f;
    private static final float MAX_ACTION = 1.0f;

    private final double goalVelocity;

    /** A continuous mountain car with goal velocity 0. */
    public ContinuousMountainCarEnv() {
        this(0);
    }

    /** A continuous mountain car that must reach the flag at {@code goalVelocity} or faster. */
    public ContinuousMountainCarEnv(double goalVelocity) {
        super(new Box(MIN_ACTION, MAX_ACTION, 1), 0.45);
        this.goalVelocity = goalVelocity;
    }

    @Override
    public StepResult step(float[] action) {
        double requested = scalarBoxAction(action);
        double force = Math.min(Math.max(requested, MIN_ACTION), MAX_ACTION);
        velocity += force * POWER - 0.0025 * Math.cos(3 * position);
        velocity = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, velocity));
        position += velocity;
        position = Math.min(MAX_POSITION, Math.max(MIN_POSITION, position));
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0;
        }
        boolean terminated = reachedGoal(goalVelocity);
        double reward = (terminated ? 100.0 : 0.0) - requested * requested * 0.1;
        position = (float) position;
        velocity = (float) velocity;
        return result.set(observe(), reward, terminated, false);
    }
}
