package org.sparkbaselines.nn.nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkbaselines.nn.Trainable;

/**
 * The ND4J backend's trainables: every parameter lives in one flat float32 vector, and the
 * accumulated gradient in a second flat vector of the same layout, so the optimizers update a whole
 * network with a handful of vector ops (few kernel launches on the GPU) instead of a few per tensor.
 */
abstract sealed class Nd4jTrainable implements Trainable permits Nd4jMlp, Nd4jParameterVector {
    private final List<ParameterSlot> slots;
    private final Map<String, ParameterSlot> slotsByName = new LinkedHashMap<>();
    private final INDArray parameters;
    private final INDArray gradients;

    /**
     * @param slots where each named parameter sits in {@code parameters}
     * @param parameters the flat 1-D float32 parameter vector (for a DL4J network, the network's own
     *        parameter view, so updates reach the layers without copying)
     */
    Nd4jTrainable(List<ParameterSlot> slots, INDArray parameters) {
        this.slots = List.copyOf(slots);
        for (ParameterSlot slot : slots) {
            slotsByName.put(slot.name(), slot);
        }
        this.parameters = parameters;
        this.gradients = Nd4j.zeros(DataType.FLOAT, parameters.length());
    }

    /** The flat parameter vector; optimizers update it in place. */
    final INDArray flatParameters() {
        return parameters;
    }

    /** The flat accumulated gradient, in the layout of {@link #flatParameters()}. */
    final INDArray flatGradients() {
        return gradients;
    }

    /** Where each parameter sits in the flat vectors, in {@link #parameterNames()} order. */
    final List<ParameterSlot> slots() {
        return slots;
    }

    @Override
    public final List<String> parameterNames() {
        List<String> names = new ArrayList<>(slots.size());
        for (ParameterSlot slot : slots) {
            names.add(slot.name());
        }
        return names;
    }

    @Override
    public final Map<String, int[]> parameterShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (ParameterSlot slot : slots) {
            shapes.put(slot.name(), slot.shape().clone());
        }
        return shapes;
    }

    @Override
    public final Map<String, float[]> getParameters() {
        return readAll(parameters);
    }

    @Override
    public final void setParameters(Map<String, float[]> values) {
        // Check everything first so a bad entry leaves the parameters untouched.
        for (Map.Entry<String, float[]> entry : values.entrySet()) {
            checkSize(slotNamed(entry.getKey()), entry.getValue());
        }
        for (Map.Entry<String, float[]> entry : values.entrySet()) {
            slotsByName.get(entry.getKey()).writeRowMajor(parameters, entry.getValue());
        }
    }

    @Override
    public final Map<String, float[]> getGradients() {
        return readAll(gradients);
    }

    @Override
    public final void zeroGrad() {
        gradients.assign(0);
    }

    /** Every slot of {@code flat} (a vector in this trainable's layout), row-major, by name. */
    final Map<String, float[]> readAll(INDArray flat) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSlot slot : slots) {
            out.put(slot.name(), slot.readRowMajor(flat));
        }
        return out;
    }

    private ParameterSlot slotNamed(String name) {
        ParameterSlot slot = slotsByName.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("unknown parameter '" + name + "'; known: " + slotsByName.keySet());
        }
        return slot;
    }

    /** Throws unless {@code values} has exactly the slot's number of elements. */
    static void checkSize(ParameterSlot slot, float[] values) {
        checkSize(slot.name(), values, slot.length());
    }

    /** Throws unless {@code values} has exactly {@code expected} elements; the error names {@code what}. */
    static void checkSize(String what, float[] values, int expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException("'" + what + "' has " + (values == null ? "no" : values.length)
                    + " values, expected " + expected);
        }
    }
}
