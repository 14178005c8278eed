package org.sparkbaselines.nn;

/**
 * One dense layer {@code y = act(x W + b)}: its parameters are named {@code name + "/w:0"} (shape
 * {@code (in, units)}, row-major as TensorFlow stores it) and {@code name + "/b:0"} (shape {@code (units)}),
 * the reference's names. Weights start orthogonal scaled by {@code initGain}, biases at zero.
 *
 * @param name parameter-name prefix, e.g. {@code "model/pi_fc0"}
 * @param units output width
 * @param activation applied after the affine map
 * @param initGain orthogonal-initialisation scale ({@code sqrt(2)} for hidden layers, 0.01 for the policy head, 1 for the value head)
 */
public record LayerSpec(String name, int units, Activation activation, double initGain) {
    public LayerSpec {
        if (units <= 0) {
            throw new IllegalArgumentException("layer " + name + " needs units > 0, got " + units);
        }
    }
}
