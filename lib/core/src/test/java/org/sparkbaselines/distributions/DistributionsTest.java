package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

class DistributionsTest {

    @Test
    void eachActionSpaceGetsItsDistributionAndHeadSizes() {
        CategoricalDistribution categorical = assertInstanceOf(CategoricalDistribution.class,
                Distributions.forActionSpace(new Discrete(5)));
        assertEquals(5, categorical.categories());
        assertSizes(categorical, 5, 1, 0);

        MultiCategoricalDistribution multi = assertInstanceOf(MultiCategoricalDistribution.class,
                Distributions.forActionSpace(new MultiDiscrete(3, 4)));
        assertArrayEquals(new int[] {3, 4}, multi.nvec());
        assertSizes(multi, 7, 2, 0);

        assertSizes(assertInstanceOf(BernoulliDistribution.class, Distributions.forActionSpace(new MultiBinary(6))), 6, 6, 0);
        assertSizes(assertInstanceOf(DiagGaussianDistribution.class, Distributions.forActionSpace(new Box(-1f, 1f, 3))), 3, 3, 3);
        // A multi-dimensional Box is taken as its flat values.
        assertSizes(Distributions.forActionSpace(new Box(-1f, 1f, 2, 3)), 6, 6, 6);
    }

    @Test
    void otherSpacesAreRejectedByName() {
        Map<String, Space> keys = new LinkedHashMap<>();
        keys.put("move", new Discrete(2));
        Space dict = new DictSpace(keys);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Distributions.forActionSpace(dict));
        assertTrue(e.getMessage().contains(dict.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Box, Discrete, MultiDiscrete or MultiBinary"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Distributions.forActionSpace(null));
    }

    private static void assertSizes(Distribution distribution, int paramDim, int actionDim, int logStdDim) {
        assertEquals(paramDim, distribution.paramDim(), distribution + " paramDim");
        assertEquals(actionDim, distribution.actionDim(), distribution + " actionDim");
        assertEquals(logStdDim, distribution.logStdDim(), distribution + " logStdDim");
    }
}
