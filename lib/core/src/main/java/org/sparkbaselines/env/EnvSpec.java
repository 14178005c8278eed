package org.sparkbaselines.env;

import java.util.Map;
import java.util.function.Function;

/**
 * A registered environment: how to build it from keyword arguments and its time limit.
 *
 * @param id registry id, e.g. {@code "CartPole-v1"}
 * @param factory builds the bare env from keyword arguments (an unknown key must be an error)
 * @param maxEpisodeSteps steps after which {@link TimeLimit} truncates, or null for no limit
 * @param rewardThreshold the score at which the task counts as solved, or null
 */
public record EnvSpec(String id, Function<Map<String, Object>, Env> factory, Integer maxEpisodeSteps,
        Double rewardThreshold) {
}
