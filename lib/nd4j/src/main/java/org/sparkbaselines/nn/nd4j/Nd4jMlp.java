package org.sparkbaselines.nn.nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;

/**
 * An MLP of the ND4J backend: a DL4J {@link MultiLayerNetwork} of float32 {@link DenseLayer}s and no
 * output layer. Losses live in our own code: {@link #backward} hands dL/doutput to DL4J's
 * external-errors path, {@code backpropGradient(epsilon)}, which matched SameDiff's gradients and
 * avoids DL4J's loss functions (they divide by the batch size). DL4J layers rather than hand-written
 * ND4J matmuls because conv and LSTM policies reuse the same machinery, and it runs unchanged on
 * ND4J's CUDA backend. A {@code MultiLayerNetwork} rather than a {@code ComputationGraph}: an MLP is
 * a chain, and trunks shared between heads are composed from several {@link Mlp}s through
 * {@link #backward}'s input gradients. The price: DL4J's dense layers recompute their
 * pre-activations during backprop, so a backward pass costs about two forward passes.
 *
 * <p>The network's flat parameter view is the trainable's parameter vector, so optimizer updates
 * reach the layers directly. DL4J overwrites its gradient view on every backprop; {@link #backward}
 * adds it to this object's own gradient accumulator. Workspaces are off: a backward pass reads the
 * layer inputs kept from the last forward, which must outlive any workspace scope (with workspaces
 * on, the measured speed was the same).
 *
 * <p>The Java-side row buffers are reused (they grow to the largest batch); ND4J allocates its
 * off-heap arrays per call.
 */
public final class Nd4jMlp extends Nd4jTrainable implements Mlp {
    private final MlpSpec spec;
    private final MultiLayerNetwork network;
    /** DL4J's flat gradient view, rewritten by each backprop. */
    private final INDArray backpropGradients;
    private final RowTransfer rows = new RowTransfer();
    private float[][] outputRows = new float[0][];
    private float[][] inputGradientRows = new float[0][];
    private int lastForwardBatch = -1;

    private Nd4jMlp(MlpSpec spec, MultiLayerNetwork network) {
        super(slotsOf(spec, network), network.params());
        this.spec = spec;
        this.network = network;
        this.backpropGradients = network.getFlattenedGradients().reshape(network.numParams());
    }

    /** Builds the network with orthogonal weights ({@link Initializers#orthogonal}, layer {@code i} seeded {@code seed + i}) and zero biases. */
    static Nd4jMlp create(MlpSpec spec, long seed) {
        Nd4jMlp mlp = new Nd4jMlp(spec, buildNetwork(spec));
        Map<String, float[]> initial = new HashMap<>();
        int in = spec.inputDim();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            initial.put(weightName(layer), Initializers.orthogonal(in, layer.units(), layer.initGain(), new SplittableRandom(seed + i)));
            initial.put(biasName(layer), new float[layer.units()]);
            in = layer.units();
        }
        mlp.setParameters(initial);
        return mlp;
    }

    private static MultiLayerNetwork buildNetwork(MlpSpec spec) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new NoOp()) // our optimizers update the parameters
                .weightInit(WeightInit.ZERO) // overwritten by create()
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
        int in = spec.inputDim();
        for (LayerSpec layer : spec.layers()) {
            layers.layer(new DenseLayer.Builder().nIn(in).nOut(layer.units()).activation(dl4jActivation(layer.activation())).build());
            in = layer.units();
        }
        MultiLayerConfiguration configuration = layers.build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        network.initGradientsView(); // otherwise created lazily by the first backprop
        return network;
    }

    /** DL4J's name for an activation (also what data-parallel training on deeplearning4j-spark builds its networks with). */
    public static org.nd4j.linalg.activations.Activation dl4jActivation(Activation activation) {
        return switch (activation) {
            case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
            case LINEAR -> org.nd4j.linalg.activations.Activation.IDENTITY;
        };
    }

    /** Our names for DL4J's per-layer parameter views, with their offsets and element order in the flat vector. */
    private static List<ParameterSlot> slotsOf(MlpSpec spec, MultiLayerNetwork network) {
        long base = network.params().offset();
        List<ParameterSlot> slots = new ArrayList<>();
        int in = spec.inputDim();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layerSpec = spec.layers().get(i);
            Layer layer = network.getLayer(i);
            INDArray weights = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray bias = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            slots.add(new ParameterSlot(weightName(layerSpec), new int[] {in, layerSpec.units()}, weights.offset() - base, weights.ordering()));
            slots.add(new ParameterSlot(biasName(layerSpec), new int[] {layerSpec.units()}, bias.offset() - base, bias.ordering()));
            in = layerSpec.units();
        }
        return slots;
    }

    private static String weightName(LayerSpec layer) {
        return layer.name() + "/w:0";
    }

    private static String biasName(LayerSpec layer) {
        return layer.name() + "/b:0";
    }

    @Override
    public MlpSpec spec() {
        return spec;
    }

    @Override
    public float[][] forward(float[][] input, int batch) {
        network.setInput(rows.toArray(input, batch, spec.inputDim(), "input"));
        // train=true keeps the layer inputs (clearInputs=false) for backward; no dropout is configured.
        List<INDArray> activations = network.feedForward(true, false);
        outputRows = RowTransfer.ensureRows(outputRows, batch, spec.outputDim());
        RowTransfer.copyRows(activations.get(activations.size() - 1), outputRows, batch);
        lastForwardBatch = batch;
        return outputRows;
    }

    @Override
    public float[][] backward(float[][] gradOutput, int batch, boolean needInputGrad) {
        if (batch != lastForwardBatch) {
            throw new IllegalStateException("backward of batch " + batch + " needs a forward of the same batch first; last forward had "
                    + (lastForwardBatch < 0 ? "not run" : "batch " + lastForwardBatch));
        }
        INDArray epsilon = rows.toArray(gradOutput, batch, spec.outputDim(), "gradOutput");
        Pair<Gradient, INDArray> result = network.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        flatGradients().addi(backpropGradients);
        if (!needInputGrad) {
            return null;
        }
        inputGradientRows = RowTransfer.ensureRows(inputGradientRows, batch, spec.inputDim());
        RowTransfer.copyRows(result.getSecond(), inputGradientRows, batch);
        return inputGradientRows;
    }
}
