package org.sparkbaselines.nn;

import java.util.Locale;
import org.sparkbaselines.nn.jvm.JvmBackend;
import org.sparkbaselines.nn.nd4j.Nd4jBackend;

/**
 * Picks a {@link Backend} by name, as {@code policy_kwargs} {@code backend} does: {@code "jvm"} (the
 * Vector API kernels), {@code "nd4j"} (DL4J/ND4J), or {@code "auto"} (the default): ND4J when its
 * CUDA backend is on the classpath (a {@code -Pcuda} build), else the JVM kernels.
 */
public final class Backends {
    private Backends() {
    }

    public static Backend get(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "jvm" -> JvmBackend.INSTANCE;
            case "nd4j" -> Nd4jBackend.instance();
            case "auto" -> cudaAvailable() ? Nd4jBackend.instance() : JvmBackend.INSTANCE;
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; known: auto, jvm, nd4j");
        };
    }

    /** Whether ND4J's CUDA backend is on the classpath (checked without loading native code). */
    public static boolean cudaAvailable() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, Backends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
