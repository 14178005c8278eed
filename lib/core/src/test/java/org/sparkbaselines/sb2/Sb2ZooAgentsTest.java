package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.spaces.Discrete;

/**
 * The oracle nobody here wrote: every actor-critic and DQN agent of the SB2 zoo, imported into our policy, plays
 * the episodes it played in the original (20 deterministic episodes from {@code reset(seed=i)}) with the
 * same returns: exactly for discrete actions, within 1e-3 per episode for continuous ones.
 */
class Sb2ZooAgentsTest {
    static final List<String> IMPORTED = List.of("a2c", "acer", "acktr", "ppo2", "trpo", "dqn", "ddpg", "td3", "sac");

    static Stream<Sb2Zoo.Agent> agents() throws IOException {
        return Sb2Zoo.agents(IMPORTED).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agents")
    void playsTheRecordedEpisodes(Sb2Zoo.Agent agent) throws IOException {
        Sb2Models.Imported imported = Sb2Models.load(agent.algo(), agent.file(), Sb2Zoo.env(agent.envId()));
        EvaluationResult result = Sb2Zoo.evaluate(imported.model(), agent.returns().length);
        boolean discrete = imported.model().actionSpace() instanceof Discrete;
        for (int i = 0; i < agent.returns().length; i++) {
            assertEquals(agent.lengths()[i], result.episodeLengths()[i], agent + ", seed " + i + ": episode length");
            assertEquals(agent.returns()[i], result.episodeRewards()[i], discrete ? 0 : 1e-3, agent + ", seed " + i + ": return");
        }
    }
}
