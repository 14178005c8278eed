package org.sparkbaselines.env.classic;

import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Discrete;

/**
 * The mountain car, Gymnasium 0.29.1's {@code MountainCarEnv} ({@code MountainCar-v0}): drive an
 * underpowered car out of a valley by rocking it back and forth.
 *
 * <ul>
 *   <li>Actions: {@code Discrete(3)}: accelerate left, don't accelerate, accelerate right.</li>
 *   <li>Observations: {@code Box(2)} of position in [-1.2, 0.6] and velocity in [-0.07, 0.07].</li>
 *   <li>Reward -1 per step; termination when position &gt;= 0.5 and velocity &gt;=
 *       {@code goal_velocity} (default 0).</li>
 *   <li>Reset: position uniform in [-0.6, -0.4), velocity 0.</li>
 * </ul>
 *
 * <p>Follows the original exactly: float64 state and arithmetic, velocity clipped to ±0.07,
 * position clipped to the valley with the velocity zeroed against the left wall, only the
 * observation rounded to float32. {@link #getState()} is {@code [position, velocity]}.
 */
public final class MountainCarEnv extends MountainCarBase {
    private static final double FORCE = 0.001;
    private static final double GRAVITY = 0.0025;

    private final int goalVelocity;

    /** A mountain car with goal velocity 0. */
    public MountainCarEnv() {
        this(0);
    }

    /** A mountain car that must reach the flag at {@code goalVelocity} or faster. */
    public MountainCarEnv(int goalVelocity) {
        super(new Discrete(3), 0.5);
        this.goalVelocity = goalVelocity;
    }

    @Override
    public StepResult step(float[] action) {
        int push = discreteAction(action) - 1;
        velocity += push * FORCE + Math.cos(3 * position) * (-GRAVITY);
        velocity = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, velocity));
        position += velocity;
        position = Math.min(MAX_POSITION, Math.max(MIN_POSITION, position));
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0;
        }
        boolean terminated = reachedGoal(goalVelocity);
        return result.set(observe(), -1.0, terminated, false);
    }
}
