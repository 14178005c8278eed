package org.sparkbaselines.nn.nd4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkbaselines.nn.ParameterVector;

/** A free float32 parameter vector (e.g. a Gaussian policy's {@code logstd}) of the ND4J backend. */
public final class Nd4jParameterVector extends Nd4jTrainable implements ParameterVector {
    private final String name;
    private final int size;

    Nd4jParameterVector(String name, int size, float initialValue) {
        super(List.of(new ParameterSlot(name, new int[] {size}, 0, 'c')),
                Nd4j.valueArrayOf(new long[] {size}, initialValue, DataType.FLOAT));
        this.name = name;
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void values(float[] out) {
        checkSize(name, out, size);
        System.arraycopy(flatParameters().toFloatVector(), 0, out, 0, size);
    }

    @Override
    public void addGradient(float[] grad) {
        checkSize(name, grad, size);
        flatGradients().addi(Nd4j.create(grad, new long[] {size}, DataType.FLOAT));
    }
}
