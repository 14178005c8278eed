package org.sparkbaselines.sb2;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sparkbaselines.SharedReference;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;

/** The RL zoo agents saved by Stable Baselines 2 ({@code shared/reference/sb2-zoo}) and what they scored there. */
final class Sb2Zoo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sb2Zoo() {
    }

    /** One agent of {@code eval_results.json}: its file, the Gymnasium env it ran on, and its deterministic episodes from seeds 0.. */
    record Agent(String algo, Path file, String envId, double[] returns, int[] lengths) {
        @Override
        public String toString() {
            return algo + " " + file.getFileName() + " on " + envId;
        }
    }

    /** {@code shared/reference/sb2-zoo}. */
    static Path directory() {
        return SharedReference.path("sb2-zoo");
    }

    static Path file(String relative) {
        return directory().resolve(relative);
    }

    /** The agents of {@code eval_results.json} whose algorithm is one of {@code algos}. */
    static List<Agent> agents(List<String> algos) throws IOException {
        JsonNode root = JSON.readTree(directory().resolve("eval_results.json").toFile());
        List<Agent> agents = new ArrayList<>();
        for (JsonNode agent : root.get("agents")) {
            String algo = agent.get("algo").asText();
            if (algos.contains(algo)) {
                JsonNode returns = agent.get("det_returns");
                JsonNode lengths = agent.get("det_lengths");
                double[] r = new double[returns.size()];
                int[] l = new int[lengths.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = returns.get(i).asDouble();
                    l[i] = lengths.get(i).asInt();
                }
                agents.add(new Agent(algo, directory().resolve(agent.get("file").asText()), agent.get("gymnasium_id").asText(), r, l));
            }
        }
        return agents;
    }

    /** Deterministic episodes of {@code model} on its own env from seeds {@code 0..episodes-1}, normalization frozen. */
    static EvaluationResult evaluate(BaseAlgorithm<?> model, int episodes) {
        VecNormalize normalize = model.getVecNormalizeEnv();
        if (normalize != null) {
            normalize.setTraining(false);
            normalize.setNormReward(false);
        }
        return Evaluation.evaluatePolicy(model::predict, model.getEnv(), episodes, true, false, null, null, 0L);
    }

    /** A one-env VecEnv of {@code envId}. */
    static VecEnv env(String envId) {
        return VecEnvs.makeVecEnv(envId, 1, 0L);
    }
}
