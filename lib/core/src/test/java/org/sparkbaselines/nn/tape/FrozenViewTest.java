package org.sparkbaselines.nn.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Activation;

/** A frozen view passes gradients to its input as the variable itself would, and accumulates none of its own. */
class FrozenViewTest {

    @Test
    void aFrozenViewPassesTheInputGradientAndKeepsNone() {
        MlpWithHead net = MlpWithHead.glorot("q", 3, List.of(5), Activation.RELU, "out", 1, Activation.LINEAR, new SplittableRandom(1));
        MlpWithHead frozen = net.frozenView();
        Variable input = new Variable("x", 2, 3);
        float[] x = {0.3f, -0.2f, 0.5f, 1.0f, 0.1f, -0.7f};
        System.arraycopy(x, 0, input.values(), 0, 6);

        Tape live = new Tape();
        live.backward(live.sum(net.forward(live, live.variable(input))));
        float[] inputGradient = input.gradient().clone();
        Variables.zeroGrad(List.of(input));

        Tape viewed = new Tape();
        viewed.backward(viewed.sum(frozen.forward(viewed, viewed.variable(input))));
        assertArrayEquals(inputGradient, input.gradient(), 1e-7f);
        for (Variable v : frozen.variables()) {
            for (float g : v.gradient()) {
                assertEquals(0f, g, v.name());
            }
        }
        net.variables().get(0).values()[0] += 1f;
        assertEquals(net.variables().get(0).values()[0], frozen.variables().get(0).values()[0], "the view shares the values");
    }
}
