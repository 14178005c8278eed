package org.sparkbaselines.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.jvm.JvmBackend;

/** The core alone: no DL4J/ND4J on its classpath, the JVM backend by default, and a clear error for nd4j. */
class BackendsTest {
    @Test
    void theCoreCarriesNoTensorLibraryAndDefaultsToTheJvmKernels() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.nd4j.linalg.factory.Nd4j"));
        assertFalse(Backends.cudaAvailable());
        assertSame(JvmBackend.INSTANCE, Backends.get("auto"));
        assertSame(JvmBackend.INSTANCE, Backends.get(null));
    }

    @Test
    void askingForNd4jWithoutItsModuleSaysWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("nd4j"));
        assertEquals("backend 'nd4j' needs the spark-baselines-nd4j module on the classpath; without it use 'jvm'", e.getMessage());
        assertEquals("unknown backend 'gpu'; known: auto, jvm, nd4j",
                assertThrows(IllegalArgumentException.class, () -> Backends.get("gpu")).getMessage());
    }
}
