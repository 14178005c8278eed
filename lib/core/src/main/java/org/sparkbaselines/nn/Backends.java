package org.sparkbaselines.nn;

import java.util.Locale;
import org.sparkbaselines.nn.jvm.JvmBackend;

/**
 * Picks a {@link Backend} by name, as {@code policy_kwargs} {@code backend} does: {@code "jvm"} (the
 * Vector API kernels), {@code "nd4j"} (DL4J/ND4J), or {@code "auto"} (the default): ND4J when its
 * CUDA backend is on the classpath (a {@code -Pcuda} build), else the JVM kernels. The ND4J backend is
 * found at run time in the {@code spark-baselines-nd4j} module, so the core itself needs no native
 * library.
 */
public final class Backends {
    private static final String ND4J_BACKEND = "org.sparkbaselines.nn.nd4j.Nd4jBackend";

    private Backends() {
    }

    public static Backend get(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "jvm" -> JvmBackend.INSTANCE;
            case "nd4j" -> nd4j();
            case "auto" -> cudaAvailable() ? nd4j() : JvmBackend.INSTANCE;
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; known: auto, jvm, nd4j");
        };
    }

    /** The ND4J backend of {@code spark-baselines-nd4j}, loaded by name so that the core does not depend on it. */
    private static Backend nd4j() {
        try {
            return (Backend) Class.forName(ND4J_BACKEND, true, Backends.class.getClassLoader()).getMethod("instance").invoke(null);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("backend 'nd4j' needs the spark-baselines-nd4j module on the classpath; without it use 'jvm'");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the nd4j backend: " + e, e);
        }
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
