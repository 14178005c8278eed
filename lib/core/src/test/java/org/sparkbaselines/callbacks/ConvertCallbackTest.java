package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.callbacks.SmallPpo2.N_ENVS;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.ppo2.PPO2;

class ConvertCallbackTest {

    @Test
    void theFunctionSeesTheLocalsWithTheModelAndCanStopTraining() {
        PPO2 model = SmallPpo2.onCartPole();
        List<Map<String, Object>> seen = new ArrayList<>();
        SmallPpo2.learn(model, 100 * ROLLOUT, new ConvertCallback(locals -> {
            seen.add(Map.copyOf(locals));
            return seen.size() < 3;
        }));
        assertEquals(3, seen.size());
        assertEquals(3L * N_ENVS, model.numTimesteps());
        assertSame(model, seen.get(0).get("self"));
        assertTrue(seen.get(0).containsKey("dones"), "locals " + seen.get(0).keySet());
    }

    @Test
    void noFunctionNeverStops() {
        PPO2 model = SmallPpo2.onCartPole();
        SmallPpo2.learn(model, ROLLOUT, new ConvertCallback(null));
        assertEquals(ROLLOUT, model.numTimesteps());
    }
}
