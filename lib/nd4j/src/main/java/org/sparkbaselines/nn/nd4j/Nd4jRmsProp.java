package org.sparkbaselines.nn.nd4j;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.Trainable;

/**
 * TensorFlow's RMSProp ({@link RmsPropConfig}) with ND4J ops: the mean square starts at one and
 * epsilon sits inside the square root: {@code ms = a ms + (1-a) g^2},
 * {@code mom = momentum mom + lr g / sqrt(ms + eps)}, {@code w -= mom}.
 * State: {@code rmsprop/ms/<param>} and {@code rmsprop/mom/<param>}.
 */
final class Nd4jRmsProp extends Nd4jOptimizer {
    private final RmsPropConfig config;

    Nd4jRmsProp(List<? extends Trainable> params, RmsPropConfig config) {
        super("rmsprop", params, new String[] {"ms", "mom"}, new double[] {1, 0});
        this.config = config;
    }

    @Override
    void update(INDArray parameters, INDArray gradient, INDArray[] moments, INDArray scratch, double learningRate) {
        double alpha = config.alpha();
        INDArray meanSquare = moments[0];
        INDArray momentum = moments[1];
        meanSquare.muli(alpha).addi(scratch.assign(gradient).muli(gradient).muli(1 - alpha));
        Transforms.sqrt(scratch.assign(meanSquare).addi(config.epsilon()), false);
        momentum.muli(config.momentum()).addi(gradient.divi(scratch).muli(learningRate));
        parameters.subi(momentum);
    }
}
