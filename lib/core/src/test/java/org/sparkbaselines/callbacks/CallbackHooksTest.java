package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparkbaselines.callbacks.SmallPpo2.N_ENVS;
import static org.sparkbaselines.callbacks.SmallPpo2.N_STEPS;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.ppo2.PPO2;

/** When the training loop calls the hooks, with what counts, and how a step hook stops training. */
class CallbackHooksTest {

    @Test
    void hooksFireInOrderWithCallAndTimestepCounts() {
        PPO2 model = SmallPpo2.onCartPole();
        RecordingCallback recorder = new RecordingCallback();
        SmallPpo2.learn(model, 2 * ROLLOUT, recorder);
        assertEquals(RecordingCallback.expectedEvents(2, N_STEPS, N_ENVS), recorder.events);
        assertEquals(2 * N_STEPS, recorder.nCalls());
        assertEquals(2 * ROLLOUT, recorder.numTimesteps());
        assertEquals((long) 2 * ROLLOUT, recorder.locals().get("total_timesteps"));
    }

    @Test
    void callbackListAndPlainListBothCallEveryCallback() {
        List<String> expected = RecordingCallback.expectedEvents(2, N_STEPS, N_ENVS);
        RecordingCallback first = new RecordingCallback();
        RecordingCallback second = new RecordingCallback();
        SmallPpo2.learn(SmallPpo2.onCartPole(), 2 * ROLLOUT, new CallbackList(List.of(first, second)));
        assertEquals(expected, first.events);
        assertEquals(expected, second.events);

        RecordingCallback third = new RecordingCallback();
        RecordingCallback fourth = new RecordingCallback();
        SmallPpo2.learn(SmallPpo2.onCartPole(), 2 * ROLLOUT, List.of(third, fourth));
        assertEquals(expected, third.events);
        assertEquals(expected, fourth.events);
    }

    @Test
    void falseFromAStepStopsTrainingAtOnce() {
        PPO2 model = SmallPpo2.onCartPole();
        RecordingCallback stopper = new RecordingCallback(5);
        SmallPpo2.learn(model, 100 * ROLLOUT, stopper);
        assertEquals(5L * N_ENVS, model.numTimesteps());
        // the interrupted rollout never ends, but training does
        List<String> tail = stopper.events.subList(stopper.events.size() - 2, stopper.events.size());
        assertEquals(List.of(RecordingCallback.step(5, 5L * N_ENVS), "training end"), tail);
    }
}
