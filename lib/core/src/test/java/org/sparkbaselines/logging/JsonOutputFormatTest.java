package org.sparkbaselines.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonOutputFormatTest {
    @Test
    void eachDumpIsOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(JsonOutputFormat.FILE_NAME);
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("time/total_timesteps", 2048L);
        first.put("rollout/ep_rew_mean", 22.4);
        first.put("env", "CartPole-v1");
        try (JsonOutputFormat json = new JsonOutputFormat(file)) {
            json.write(first, 2048);
            json.write(Map.of("train/approx_kl", Double.NaN), 4096);
        }

        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(mapper.readTree(line));
        }
        assertEquals(2, lines.size());
        JsonNode dump = lines.get(0);
        assertEquals(List.of("time/total_timesteps", "rollout/ep_rew_mean", "env"), fieldNames(dump));
        assertEquals(2048L, dump.get("time/total_timesteps").asLong());
        assertEquals(22.4, dump.get("rollout/ep_rew_mean").asDouble());
        assertEquals("CartPole-v1", dump.get("env").asText());
        assertEquals("NaN", lines.get(1).get("train/approx_kl").asText(), "NaN kept as standard JSON");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
