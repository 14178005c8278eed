package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.ppo2.PPO2;

class ProgressBarCallbackTest {

    @Test
    void countsTheTimestepsOfEachLearnCall() {
        PPO2 model = SmallPpo2.onCartPole();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBarCallback progress = new ProgressBarCallback(new PrintStream(out, true, StandardCharsets.UTF_8));
        SmallPpo2.learn(model, 2 * ROLLOUT, progress);
        String first = out.toString(StandardCharsets.UTF_8);
        assertTrue(first.contains("64/64"), first);

        out.reset();
        // continuing: the bar covers only this call's timesteps, not the total count
        model.learn(ROLLOUT, progress, 1, "PPO2", false);
        String second = out.toString(StandardCharsets.UTF_8);
        assertTrue(second.contains("32/32"), second);
    }

    @Test
    void drawsOnStandardErrorByDefault() {
        SmallPpo2.learn(SmallPpo2.onCartPole(), ROLLOUT, new ProgressBarCallback());
    }
}
