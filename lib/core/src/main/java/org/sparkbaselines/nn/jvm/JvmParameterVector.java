package org.sparkbaselines.nn.jvm;

import java.util.Arrays;
import org.sparkbaselines.nn.ParameterVector;

/** The JVM backend's {@link ParameterVector}: a plain {@code float[]} of values and one of gradients. */
public final class JvmParameterVector extends JvmTrainable implements ParameterVector {
    private final Parameter parameter;

    JvmParameterVector(String name, int size, float initialValue) {
        this(Parameter.vector(name, size, MatrixKernels.roundUp(size, MatrixKernels.LANES)));
        Arrays.fill(parameter.values, 0, size, initialValue);
    }

    private JvmParameterVector(Parameter parameter) {
        super(parameter);
        this.parameter = parameter;
    }

    @Override
    public String name() {
        return parameter.name;
    }

    @Override
    public int size() {
        return parameter.size();
    }

    @Override
    public void values(float[] out) {
        System.arraycopy(parameter.values, 0, out, 0, size());
    }

    @Override
    public void addGradient(float[] grad) {
        parameter.checkSize("gradient of", parameter.name, grad);
        float[] grads = parameter.grads;
        for (int i = 0; i < grad.length; i++) {
            grads[i] += grad[i];
        }
    }
}
