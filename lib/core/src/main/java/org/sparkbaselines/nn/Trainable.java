package org.sparkbaselines.nn;

import java.util.List;
import java.util.Map;

/**
 * Named parameters with gradient buffers. Values cross this interface as row-major {@code float[]}
 * copies; where they live (Java arrays, ND4J buffers, GPU memory) is the backend's business.
 */
public interface Trainable {

    /** Parameter names in a stable order (the order of {@code parameter_list.json}). */
    List<String> parameterNames();

    /** Shape of each parameter. */
    Map<String, int[]> parameterShapes();

    /** A copy of every parameter's values. */
    Map<String, float[]> getParameters();

    /**
     * Overwrites the named parameters; names not in {@code values} keep their values. A name this
     * object does not have, or a value of the wrong size, is an error naming it.
     */
    void setParameters(Map<String, float[]> values);

    /** A copy of every parameter's accumulated gradient. */
    Map<String, float[]> getGradients();

    /** Sets all gradients to zero. */
    void zeroGrad();
}
