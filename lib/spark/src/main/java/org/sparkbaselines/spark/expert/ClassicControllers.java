package org.sparkbaselines.spark.expert;

import java.util.function.UnaryOperator;
import org.sparkbaselines.common.Predictor;

/**
 * Hand-written controllers for classic-control tasks: experts that need no training, the
 * reference's "callable expert" (a PID controller, say) for {@code generate_expert_traj}.
 * Deterministic: the {@code deterministic} flag of {@link Predictor#predict} is ignored.
 */
public final class ClassicControllers {

    private ClassicControllers() {
    }

    /**
     * CartPole ({@code [x, x_dot, theta, theta_dot]} observations, Discrete(2) actions): pushes the cart
     * the way the pole is falling, {@code theta + 0.5 theta_dot}, plus small cart terms that keep it
     * near the centre. Balances for the whole 500 steps of CartPole-v1 from every start we tried
     * (1000 seeds).
     */
    public static Predictor cartPoleBalance() {
        return perObservation(obs -> {
            double push = 0.05 * obs[0] + 0.1 * obs[1] + obs[2] + 0.5 * obs[3];
            return new float[] {push > 0 ? 1f : 0f};
        });
    }

    /**
     * MountainCar ({@code [position, velocity]} observations): pumps energy by always accelerating in
     * the direction the car moves, which swings it up the right hill in about 120 steps
     * (MountainCar-v0, return about -120). {@code continuous} gives MountainCarContinuous-v0's
     * Box(1) actions (full force, return about 89) instead of Discrete(3)'s left/right.
     */
    public static Predictor mountainCarEnergyPumping(boolean continuous) {
        return perObservation(obs -> {
            boolean right = obs[1] >= 0;
            if (continuous) {
                return new float[] {right ? 1f : -1f};
            }
            return new float[] {right ? 2f : 0f};
        });
    }

    private static Predictor perObservation(UnaryOperator<float[]> policy) {
        return (observations, deterministic) -> {
            float[][] actions = new float[observations.length][];
            for (int i = 0; i < observations.length; i++) {
                actions[i] = policy.apply(observations[i]);
            }
            return actions;
        };
    }
}
