package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.vec.VecNormalize;

/**
 * Zoo agents beyond the shared reference set (test resources {@code sb2-zoo-extra}: a normalized agent found
 * by its {@code obs_rms.pkl}, a normalized {@code .zip}, a {@code config.yml} that does not normalize) act as a
 * float64 numpy forward pass of SB2's MlpPolicy says: the same action for discrete agents, within 1e-5 for
 * continuous ones.
 */
class Sb2ZooExtraAgentsTest {
    record Case(String algo, Path file, String envId, boolean normalized, JsonNode observations, JsonNode actions) {
        @Override
        public String toString() {
            return algo + " " + file.getFileName() + " on " + envId;
        }
    }

    static Stream<Case> agents() throws IOException, URISyntaxException {
        Path root = Path.of(Sb2ZooExtraAgentsTest.class.getResource("/sb2-zoo-extra/expected_actions.json").toURI()).getParent();
        List<Case> cases = new ArrayList<>();
        for (JsonNode agent : new ObjectMapper().readTree(root.resolve("expected_actions.json").toFile()).get("agents")) {
            cases.add(new Case(agent.get("algo").asText(), root.resolve(agent.get("file").asText()), agent.get("env").asText(),
                    agent.get("normalized").asBoolean(), agent.get("obs"), agent.get("actions")));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agents")
    void actsAsTheReferenceForwardPass(Case agent) throws IOException {
        BaseAlgorithm<?> model = Sb2Models.load(agent.algo(), agent.file(), Sb2Zoo.env(agent.envId())).model();
        VecNormalize normalize = model.getVecNormalizeEnv();
        assertEquals(agent.normalized(), normalize != null, agent + ": the zoo's normalization rule");
        for (int i = 0; i < agent.observations().size(); i++) {
            JsonNode row = agent.observations().get(i);
            float[] obs = new float[row.size()];
            for (int j = 0; j < obs.length; j++) {
                obs[j] = (float) row.get(j).asDouble();
            }
            float[] action = model.predict(new float[][] {normalize == null ? obs : normalize.normalizeObs(obs)}, true)[0];
            JsonNode expected = agent.actions().get(i);
            if (expected.isArray()) {
                float[] clipped = new float[expected.size()];
                for (int j = 0; j < clipped.length; j++) {
                    clipped[j] = (float) expected.get(j).asDouble();
                }
                ((org.sparkbaselines.spaces.Box) model.actionSpace()).clip(clipped);
                for (int j = 0; j < clipped.length; j++) {
                    assertEquals(clipped[j], action[j], 1e-5, agent + ", observation " + i);
                }
            } else {
                assertEquals(expected.asInt(), (int) action[0], agent + ", observation " + i);
            }
        }
    }
}
