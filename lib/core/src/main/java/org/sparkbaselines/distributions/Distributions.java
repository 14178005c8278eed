package org.sparkbaselines.distributions;

import java.util.Objects;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/** Chooses the action distribution for an action space, SB2's {@code make_proba_dist_type}. */
public final class Distributions {

    private Distributions() {
    }

    /**
     * The distribution a policy uses for {@code actionSpace}: Discrete → {@link CategoricalDistribution},
     * MultiDiscrete → {@link MultiCategoricalDistribution}, MultiBinary → {@link BernoulliDistribution},
     * Box → {@link DiagGaussianDistribution}. Its {@link Distribution#paramDim()} is the width of the
     * policy's action head and {@link Distribution#logStdDim()} the length of the extra log std vector.
     * SB2 only takes a 1-D Box; here any Box works, as its flattened values (the flat layout makes the
     * two the same).
     *
     * @throws IllegalArgumentException for any other space (Dict, for instance), naming it
     */
    public static Distribution forActionSpace(Space actionSpace) {
        Objects.requireNonNull(actionSpace, "actionSpace");
        if (actionSpace instanceof Discrete discrete) {
            return new CategoricalDistribution(discrete.n());
        }
        if (actionSpace instanceof MultiDiscrete multiDiscrete) {
            return new MultiCategoricalDistribution(multiDiscrete.nvec());
        }
        if (actionSpace instanceof MultiBinary multiBinary) {
            return new BernoulliDistribution(multiBinary.n());
        }
        if (actionSpace instanceof Box box) {
            return new DiagGaussianDistribution(box.flatDim());
        }
        throw new IllegalArgumentException("no probability distribution for action space " + actionSpace
                + "; it must be a Box, Discrete, MultiDiscrete or MultiBinary");
    }
}
