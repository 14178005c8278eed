package org.sparkbaselines.env.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.SharedReference;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;

/**
 * {@code reset(seed=i)} starts exactly where Gymnasium 0.29.1 starts: the first observations the
 * sb2-zoo evaluation recorded ({@code initial_obs} of {@code shared/reference/sb2-zoo/eval_results.json},
 * episode i reset with seed {@code seeds[i]}) are reproduced bit for bit as float32.
 */
class GymnasiumSeedingTest {
    private static final String EVAL_RESULTS = "sb2-zoo/eval_results.json";

    @Test
    void seededResetsReproduceGymnasiumStartStates() throws IOException {
        JsonNode results = new ObjectMapper().readTree(evalResults().toFile());
        JsonNode seeds = results.get("seeds");
        JsonNode initialObs = results.get("initial_obs");
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = initialObs.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String id = entry.getKey();
            JsonNode episodes = entry.getValue();
            assertEquals(seeds.size(), episodes.size(), id + ": one initial observation per seed");
            Env env = Envs.make(id);
            for (int i = 0; i < episodes.size(); i++) {
                long seed = seeds.get(i).asLong();
                float[] expected = floats(episodes.get(i));
                // The same env object across seeds, as an evaluation loop uses it, and a fresh one.
                compare(id, seed, "reused env", expected, env.reset(seed), mismatches);
                compare(id, seed, "fresh env", expected, Envs.make(id).reset(seed), mismatches);
                checked++;
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(List.of("CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1"),
                fieldNames(initialObs));
        assertEquals(5 * 20, checked, "five envs, twenty seeds each");
    }

    private static void compare(String id, long seed, String how, float[] expected, float[] actual, List<String> mismatches) {
        assertEquals(expected.length, actual.length, id + " observation length");
        for (int j = 0; j < expected.length; j++) {
            // Exact float32 equality, bit for bit (the recorded values are float32 widened to float64).
            if (Float.floatToIntBits(expected[j]) != Float.floatToIntBits(actual[j])) {
                mismatches.add(id + " seed " + seed + " (" + how + ") obs[" + j + "]: expected " + expected[j] + ", got " + actual[j]);
            }
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int j = 0; j < out.length; j++) {
            double value = array.get(j).asDouble();
            out[j] = (float) value;
            assertEquals(value, (double) out[j], 0.0, "recorded values are float32: " + array);
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertFalse(names.isEmpty());
        return names;
    }

    /** Walks up from the working directory (the module when Maven runs tests, or the repository root). */
    private static Path evalResults() {
        return SharedReference.path(EVAL_RESULTS);
    }
}
