package org.sparkbaselines.env.classic;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvSpec;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.Kwargs;

/**
 * Registers the classic-control envs with their Gymnasium ids, time limits and reward thresholds:
 *
 * <table>
 *   <caption>Registered ids</caption>
 *   <tr><th>id</th><th>env</th><th>max steps</th><th>reward threshold</th><th>keywords</th></tr>
 *   <tr><td>CartPole-v1</td><td>{@link CartPoleEnv}</td><td>500</td><td>475</td><td></td></tr>
 *   <tr><td>CartPole-v0</td><td>{@link CartPoleEnv}</td><td>200</td><td>195</td><td></td></tr>
 *   <tr><td>Pendulum-v1</td><td>{@link PendulumEnv}</td><td>200</td><td>none</td><td>g (10.0)</td></tr>
 *   <tr><td>MountainCar-v0</td><td>{@link MountainCarEnv}</td><td>200</td><td>-110</td><td>goal_velocity (0)</td></tr>
 *   <tr><td>MountainCarContinuous-v0</td><td>{@link ContinuousMountainCarEnv}</td><td>999</td><td>90</td><td>goal_velocity (0)</td></tr>
 *   <tr><td>Acrobot-v1</td><td>{@link AcrobotEnv}</td><td>500</td><td>-100</td><td></td></tr>
 * </table>
 *
 * An unknown keyword is an error.
 */
public final class ClassicControl {
    private static final String GOAL_VELOCITY = "goal_velocity";

    private ClassicControl() {
    }

    /** Registers (or re-registers) the six ids above with {@link Envs}. */
    public static void registerAll() {
        register("CartPole-v1", 500, 475.0, Set.of(), kwargs -> new CartPoleEnv());
        register("CartPole-v0", 200, 195.0, Set.of(), kwargs -> new CartPoleEnv());
        register("Pendulum-v1", 200, null, Set.of("g"),
                kwargs -> new PendulumEnv(kwargs.getDouble("g", PendulumEnv.DEFAULT_GRAVITY)));
        register("MountainCar-v0", 200, -110.0, Set.of(GOAL_VELOCITY),
                kwargs -> new MountainCarEnv(kwargs.getInt(GOAL_VELOCITY, 0)));
        register("MountainCarContinuous-v0", 999, 90.0, Set.of(GOAL_VELOCITY),
                kwargs -> new ContinuousMountainCarEnv(kwargs.getDouble(GOAL_VELOCITY, 0)));
        register("Acrobot-v1", 500, -100.0, Set.of(), kwargs -> new AcrobotEnv());
    }

    private static void register(String id, int maxEpisodeSteps, Double rewardThreshold, Set<String> keywords,
            Function<Kwargs, Env> factory) {
        Function<Map<String, Object>, Env> fromMap = kwargs -> factory.apply(Kwargs.of(id, kwargs, keywords));
        Envs.register(new EnvSpec(id, fromMap, maxEpisodeSteps, rewardThreshold));
    }
}
