package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.util.List;
import org.junit.jupiter.api.Test;

class EveryNTimestepsTest {

    @Test
    void triggersTheChildOncePerIntervalSinceTheLastTrigger() {
        RecordingCallback child = new RecordingCallback();
        EveryNTimesteps every = new EveryNTimesteps(7, child);
        assertSame(every, child.parent());
        SmallPpo2.learn(SmallPpo2.onCartPole(), 2 * ROLLOUT, every);
        // timesteps advance by 2: each trigger is the first count at least 7 past the previous one
        assertEquals(List.of(8L, 16L, 24L, 32L, 40L, 48L, 56L, 64L), child.stepTimesteps);
        assertEquals(8, child.nCalls());
        assertEquals(List.of("init", "training start"), child.events.subList(0, 2));
    }

    @Test
    void aFalseFromTheChildStopsTraining() {
        var model = SmallPpo2.onCartPole();
        SmallPpo2.learn(model, 100 * ROLLOUT, new EveryNTimesteps(10, new RecordingCallback(3)));
        assertEquals(30, model.numTimesteps());
    }
}
