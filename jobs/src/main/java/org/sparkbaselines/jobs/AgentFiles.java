package org.sparkbaselines.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.sb2.Sb2File;
import org.sparkbaselines.sb2.Sb2Models;
import org.sparkbaselines.vec.VecEnv;

/**
 * A model file named on the command line: one of ours, or (with {@code --algo}) a Stable Baselines 2 agent,
 * a {@code .pkl} or an SB2 {@code .zip}, imported without running it.
 */
final class AgentFiles {
    private AgentFiles() {
    }

    /**
     * Loads {@code file} on {@code env}, printing what an SB2 import could not keep to {@code notes}.
     *
     * @param algo the algorithm from {@code --algo}, or null: then the file must be one of ours, which names it
     */
    static BaseAlgorithm<?> load(String algo, Path file, VecEnv env, PrintStream notes) throws IOException {
        if (Sb2File.isSb2(file)) {
            if (algo == null) {
                throw new IllegalArgumentException(file + " is a Stable Baselines 2 file, which does not say its algorithm: add --algo ("
                        + String.join(", ", new java.util.TreeSet<>(Sb2Models.ALGORITHMS)) + ")");
            }
            Sb2Models.Imported imported = Sb2Models.load(algo, file, env);
            imported.notes().forEach(note -> notes.println("note: " + note));
            return imported.model();
        }
        return algo == null ? Algorithms.loadAny(file, env) : Algorithms.get(algo).load(file, env, Map.of());
    }
}
