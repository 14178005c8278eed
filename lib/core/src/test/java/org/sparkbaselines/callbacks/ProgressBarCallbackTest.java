package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.ppo2.PPO2;

class ProgressBarCallbackTest {
    /** A frame with its colour codes removed: "Training  50% │████    │ 32/64 (0:00:01 / 0:00:01) 32.0/s". */
    private static final Pattern FRAME = Pattern.compile("Training +(\\d+)% │([^│]*)│ +(\\d+)/(\\d+) \\(.*");
    private static final Pattern COLOUR_CODE = Pattern.compile("\u001b\\[[0-9;]*m");

    @Test
    void drawsTheTimestepsOfEachLearnCall() {
        PPO2 model = SmallPpo2.onCartPole();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBarCallback progress = new ProgressBarCallback(new PrintStream(out, true, StandardCharsets.UTF_8));
        SmallPpo2.learn(model, 2 * ROLLOUT, progress);
        assertDrawsProgressTo(2 * ROLLOUT, out);

        out.reset();
        // continuing: the bar covers only this call's timesteps, not the total count
        model.learn(ROLLOUT, progress, 1, "PPO2", false);
        assertDrawsProgressTo(ROLLOUT, out);
    }

    @Test
    void trainsWithTheBarOnStandardErrorByDefault() {
        // The library draws the default bar on the process's file descriptor 2, bypassing System.setErr, so
        // only this constructor's path through training is checked here; what is drawn is checked above.
        PPO2 model = SmallPpo2.onCartPole();
        SmallPpo2.learn(model, ROLLOUT, new ProgressBarCallback());
        assertEquals(ROLLOUT, model.numTimesteps());
    }

    /**
     * Checks every frame drawn: each shows the step count out of {@code total} with its percentage, and
     * the last one, drawn when training ends, a full bar at {@code total/total}. How many frames come
     * before it depends on the library's once-a-second redraw, so only their consistency is checked.
     */
    private static void assertDrawsProgressTo(long total, ByteArrayOutputStream out) {
        // The console consumer starts each redraw with a carriage return.
        List<String> frames = Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\r"))
                .map(frame -> COLOUR_CODE.matcher(frame).replaceAll("").strip())
                .filter(frame -> !frame.isEmpty())
                .toList();
        assertFalse(frames.isEmpty(), "nothing drawn");
        for (String frame : frames) {
            Matcher parts = FRAME.matcher(frame);
            assertTrue(parts.matches(), frame);
            long current = Long.parseLong(parts.group(3));
            assertEquals(total, Long.parseLong(parts.group(4)), frame);
            assertTrue(current >= 0 && current <= total, frame);
            assertEquals(100 * current / total, Long.parseLong(parts.group(1)), frame);
        }
        Matcher last = FRAME.matcher(frames.get(frames.size() - 1));
        assertTrue(last.matches());
        assertEquals("100", last.group(1));
        assertEquals(total, Long.parseLong(last.group(3)));
        assertTrue(last.group(2).matches("█+"), "a full bar: " + last.group(0));
    }
}
