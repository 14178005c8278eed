package org.sparkbaselines.policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.nn.Backend;
import org.sparkbaselines.nn.Trainable;
import org.sparkbaselines.spaces.Space;

/** What every algorithm's policy offers the algorithm machinery: spaces, named parameters, prediction. */
public interface Policy extends Predictor {

    Space observationSpace();

    Space actionSpace();

    /** The backend its networks run on. */
    Backend backend();

    /** Everything an optimizer updates. */
    List<Trainable> trainables();

    /** Parameter names in {@code parameter_list.json} order. */
    default List<String> parameterNames() {
        return List.copyOf(getParameters().keySet());
    }

    /** Copies of all parameters, in order. */
    default LinkedHashMap<String, float[]> getParameters() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        for (Trainable t : trainables()) {
            for (String name : t.parameterNames()) {
                out.put(name, t.getParameters().get(name));
            }
        }
        return out;
    }

    /** Shapes of all parameters. */
    default Map<String, int[]> parameterShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Trainable t : trainables()) {
            out.putAll(t.parameterShapes());
        }
        return out;
    }

    /**
     * Overwrites parameters by name. With {@code exactMatch}, every parameter must be given and no
     * other; without it, given names must exist but others keep their values (the reference's
     * {@code load_parameters(..., exact_match)}).
     */
    default void setParameters(Map<String, float[]> values, boolean exactMatch) {
        Map<String, int[]> shapes = parameterShapes();
        for (String name : values.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "'; the policy has " + shapes.keySet());
            }
        }
        if (exactMatch) {
            for (String name : shapes.keySet()) {
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is missing (exact match requested)");
                }
            }
        }
        for (Trainable t : trainables()) {
            Map<String, float[]> mine = new LinkedHashMap<>();
            for (String name : t.parameterNames()) {
                if (values.containsKey(name)) {
                    mine.put(name, values.get(name));
                }
            }
            if (!mine.isEmpty()) {
                t.setParameters(mine);
            }
        }
    }
}
