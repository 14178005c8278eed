package org.sparkbaselines.nn.tape;

/**
 * The variables of the reference's {@code lstm} layer (stable_baselines/common/tf_layers.py) of {@code nHidden} units:
 * {@code wx} ({@code nIn x 4 nHidden}), {@code wh} ({@code nHidden x 4 nHidden}) and {@code b} ({@code 1 x 4 nHidden}), their
 * columns the gates {@code i, f, o, u} in that order; with {@code layer_norm=True} also its layer-norm gains and shifts
 * (null without). The reference initialises {@code wx} and {@code wh} orthogonally, {@code b} to 0, gains to 1 and shifts
 * to 0.
 */
public record LstmWeights(Variable inputWeights, Variable hiddenWeights, Variable bias, LayerNorm layerNorm) {
    public LstmWeights {
        int gates = hiddenWeights.cols();
        if (hiddenWeights.rows() * 4 != gates || inputWeights.cols() != gates || bias.rows() != 1 || bias.cols() != gates) {
            throw new IllegalArgumentException("lstm " + inputWeights.name() + ": wx " + shape(inputWeights) + ", wh " + shape(hiddenWeights)
                    + ", b " + shape(bias) + " are not (nIn, 4 n), (n, 4 n), (1, 4 n)");
        }
        if (layerNorm != null) {
            requireRow(layerNorm.inputGain(), gates);
            requireRow(layerNorm.inputShift(), gates);
            requireRow(layerNorm.hiddenGain(), gates);
            requireRow(layerNorm.hiddenShift(), gates);
            requireRow(layerNorm.cellGain(), gates / 4);
            requireRow(layerNorm.cellShift(), gates / 4);
        }
    }

    /** The plain LSTM: {@code wx}, {@code wh}, {@code b}. */
    public LstmWeights(Variable inputWeights, Variable hiddenWeights, Variable bias) {
        this(inputWeights, hiddenWeights, bias, null);
    }

    /** {@code nHidden}: the units, the width of the cell and of the hidden output. */
    public int hiddenSize() {
        return hiddenWeights.rows();
    }

    /**
     * The layer-norm variables of the reference's {@code lstm(..., layer_norm=True)}: {@code gx}, {@code bx} normalise {@code x wx}
     * and {@code gh}, {@code bh} normalise {@code h wh} (each {@code 1 x 4 nHidden}); {@code gc}, {@code bc} normalise the cell
     * before its tanh ({@code 1 x nHidden}).
     */
    public record LayerNorm(Variable inputGain, Variable inputShift, Variable hiddenGain, Variable hiddenShift, Variable cellGain,
            Variable cellShift) {
    }

    private static void requireRow(Variable v, int cols) {
        if (v.rows() != 1 || v.cols() != cols) {
            throw new IllegalArgumentException("lstm layer norm " + v.name() + ": " + shape(v) + ", not (1, " + cols + ")");
        }
    }

    private static String shape(Variable v) {
        return "(" + v.rows() + ", " + v.cols() + ")";
    }
}
