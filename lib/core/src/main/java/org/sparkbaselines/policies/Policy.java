package org.sparkbaselines.policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.spaces.Space;

/**
 * What every algorithm's policy offers the algorithm machinery: spaces, named parameters (in
 * {@code parameter_list.json} order, as model files keep them) and prediction. How the networks are held
 * (the actor-critic's backend networks, a Q-network's tape variables) is the implementation's business.
 */
public interface Policy extends Predictor {

    Space observationSpace();

    Space actionSpace();

    /** Copies of all parameters by name, in order. */
    LinkedHashMap<String, float[]> getParameters();

    /** Shapes of all parameters by name, in the same order. */
    Map<String, int[]> parameterShapes();

    /** Overwrites the named parameters; {@link #setParameters} has checked that each exists and fits. */
    void assignParameters(Map<String, float[]> values);

    /** Parameter names in {@code parameter_list.json} order. */
    default List<String> parameterNames() {
        return List.copyOf(parameterShapes().keySet());
    }

    /**
     * Overwrites parameters by name. With {@code exactMatch}, every parameter must be given and no
     * other; without it, given names must exist but others keep their values (the reference's
     * {@code load_parameters(..., exact_match)}).
     */
    default void setParameters(Map<String, float[]> values, boolean exactMatch) {
        Map<String, int[]> shapes = parameterShapes();
        for (Map.Entry<String, float[]> given : values.entrySet()) {
            int[] shape = shapes.get(given.getKey());
            if (shape == null) {
                throw new IllegalArgumentException("unknown parameter '" + given.getKey() + "'; the policy has " + shapes.keySet());
            }
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            if (given.getValue().length != size) {
                throw new IllegalArgumentException("parameter '" + given.getKey() + "' has " + given.getValue().length + " values, its shape "
                        + java.util.Arrays.toString(shape) + " needs " + size);
            }
        }
        if (exactMatch) {
            for (String name : shapes.keySet()) {
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is missing (exact match requested)");
                }
            }
        }
        assignParameters(values);
    }
}
