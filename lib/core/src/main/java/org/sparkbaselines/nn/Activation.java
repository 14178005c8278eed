package org.sparkbaselines.nn;

import java.util.Locale;

/** Activation functions for {@code act_fun} (the reference's default for actor-critic MLPs is tanh). */
public enum Activation {
    TANH, RELU, SIGMOID, LINEAR;

    /** Parses {@code "tanh"}, {@code "relu"}, {@code "tf.nn.relu"}, {@code "sigmoid"}, {@code "linear"}/{@code "identity"}. */
    public static Activation parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        n = n.substring(n.lastIndexOf('.') + 1);
        return switch (n) {
            case "tanh" -> TANH;
            case "relu" -> RELU;
            case "sigmoid" -> SIGMOID;
            case "linear", "identity", "none" -> LINEAR;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: tanh, relu, sigmoid, linear");
        };
    }
}
