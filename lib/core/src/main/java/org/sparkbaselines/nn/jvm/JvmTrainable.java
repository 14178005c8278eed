package org.sparkbaselines.nn.jvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.Trainable;

/**
 * The {@link Trainable} side of the JVM backend's objects, over their {@link Parameter}s: named
 * copies in and out in TensorFlow's layout. The backend's optimizers update the parameters in place
 * and then call {@link #parametersUpdated()}.
 */
public abstract class JvmTrainable implements Trainable {
    private final Parameter[] parameters;
    private final List<String> names;
    private final Map<String, int[]> shapes;

    JvmTrainable(Parameter... parameters) {
        this.parameters = parameters.clone();
        List<String> n = new ArrayList<>();
        Map<String, int[]> s = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            n.add(p.name);
            s.put(p.name, p.shape());
        }
        this.names = Collections.unmodifiableList(n);
        this.shapes = Collections.unmodifiableMap(s);
    }

    /** The parameters in {@link #parameterNames()} order, as stored (not copies). */
    final Parameter[] parameters() {
        return parameters;
    }

    /** Called after parameter values changed in place (an optimizer step, {@link #setParameters}). */
    void parametersUpdated() {
    }

    @Override
    public final List<String> parameterNames() {
        return names;
    }

    @Override
    public final Map<String, int[]> parameterShapes() {
        Map<String, int[]> copy = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> copy.put(name, shape.clone()));
        return copy;
    }

    @Override
    public final Map<String, float[]> getParameters() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            out.put(p.name, p.toRowMajor(p.values));
        }
        return out;
    }

    @Override
    public final Map<String, float[]> getGradients() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            out.put(p.name, p.toRowMajor(p.grads));
        }
        return out;
    }

    /** Checks every entry before writing any, so a bad map leaves the parameters untouched. */
    @Override
    public final void setParameters(Map<String, float[]> values) {
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            parameter(e.getKey()).checkSize("parameter", e.getKey(), e.getValue());
        }
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            Parameter p = parameter(e.getKey());
            p.fromRowMajor(e.getValue(), p.values);
        }
        parametersUpdated();
    }

    @Override
    public final void zeroGrad() {
        for (Parameter p : parameters) {
            Arrays.fill(p.grads, 0f);
        }
    }

    private Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown parameter '" + name + "'; known: " + names);
    }
}
