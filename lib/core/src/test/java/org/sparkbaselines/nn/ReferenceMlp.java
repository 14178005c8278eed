package org.sparkbaselines.nn;

import java.util.HashMap;
import java.util.Map;

/**
 * A plain double-precision MLP over the same named parameters as a backend's {@link Mlp}: the
 * yardstick that backends' outputs and gradients are checked against (finite differences of a
 * double-precision loss).
 */
public final class ReferenceMlp {
    private final MlpSpec spec;
    private final Map<String, double[]> params = new HashMap<>();

    public ReferenceMlp(MlpSpec spec, Map<String, float[]> values) {
        this.spec = spec;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            double[] d = new double[e.getValue().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = e.getValue()[i];
            }
            params.put(e.getKey(), d);
        }
    }

    public Map<String, double[]> params() {
        return params;
    }

    /** Outputs for each input row. */
    public double[][] forward(float[][] input, int batch) {
        double[][] out = new double[batch][];
        for (int r = 0; r < batch; r++) {
            double[] x = new double[input[r].length];
            for (int i = 0; i < x.length; i++) {
                x[i] = input[r][i];
            }
            int in = spec.inputDim();
            for (LayerSpec layer : spec.layers()) {
                double[] w = params.get(layer.name() + "/w:0");
                double[] b = params.get(layer.name() + "/b:0");
                double[] y = new double[layer.units()];
                for (int j = 0; j < y.length; j++) {
                    double s = b[j];
                    for (int i = 0; i < in; i++) {
                        s += x[i] * w[i * layer.units() + j];
                    }
                    y[j] = activate(layer.activation(), s);
                }
                x = y;
                in = layer.units();
            }
            out[r] = x;
        }
        return out;
    }

    /** {@code sum over rows and outputs of weights[r][j] * output[r][j]}: a loss whose dL/doutput is {@code weights}. */
    public double linearLoss(float[][] input, float[][] weights, int batch) {
        double[][] out = forward(input, batch);
        double loss = 0;
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < out[r].length; j++) {
                loss += weights[r][j] * out[r][j];
            }
        }
        return loss;
    }

    /** Central finite-difference gradient of {@link #linearLoss} with respect to every entry of parameter {@code name}. */
    public double[] finiteDifference(String name, float[][] input, float[][] weights, int batch, double h) {
        double[] p = params.get(name);
        double[] grad = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double saved = p[i];
            p[i] = saved + h;
            double plus = linearLoss(input, weights, batch);
            p[i] = saved - h;
            double minus = linearLoss(input, weights, batch);
            p[i] = saved;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    /** Central finite-difference gradient of {@link #linearLoss} with respect to input row {@code r}. */
    public double[] inputFiniteDifference(float[][] input, float[][] weights, int batch, int r, double h) {
        double[] grad = new double[input[r].length];
        for (int i = 0; i < grad.length; i++) {
            float saved = input[r][i];
            double[][] plusOut;
            double[][] minusOut;
            // inputs are float: perturb through a double copy of the row
            float[][] copy = input.clone();
            copy[r] = input[r].clone();
            copy[r][i] = (float) (saved + h);
            double hp = copy[r][i] - saved;
            plusOut = forward(copy, batch);
            copy[r][i] = (float) (saved - h);
            double hm = saved - copy[r][i];
            minusOut = forward(copy, batch);
            double plus = 0;
            double minus = 0;
            for (int j = 0; j < weights[r].length; j++) {
                plus += weights[r][j] * plusOut[r][j];
                minus += weights[r][j] * minusOut[r][j];
            }
            grad[i] = (plus - minus) / (hp + hm);
        }
        return grad;
    }

    private static double activate(Activation a, double s) {
        return switch (a) {
            case TANH -> Math.tanh(s);
            case RELU -> Math.max(0, s);
            case SIGMOID -> 1 / (1 + Math.exp(-s));
            case LINEAR -> s;
        };
    }
}
