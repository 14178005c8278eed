package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.sb2.Sb2File;
import org.sparkbaselines.vec.VecEnvs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sb import-sb2}: converts a Stable Baselines 2 agent ({@code .pkl} or {@code .zip}, with the RL zoo's
 * normalization statistics beside it) into one of our model files, without running anything the file names.
 */
@Command(name = "import-sb2", mixinStandardHelpOptions = true,
        description = {"Import a Stable Baselines 2 agent (.pkl or .zip, RL zoo layout) into a model file of ours.",
            "Nothing in the file is run: pickles are interpreted, never unpickled. What cannot be kept is printed as notes."})
final class ImportSb2Command implements Callable<Integer> {

    @Option(names = "--algo", required = true, description = "The agent's algorithm: ppo2, a2c, trpo, dqn, ddpg, td3, sac (full models), acer, acktr (prediction only).")
    String algo;

    @Option(names = "--file", required = true, description = "The Stable Baselines 2 file (.pkl or .zip).")
    Path file;

    @Option(names = "--env", required = true, description = "Registered env id the agent was trained on, e.g. CartPole-v1 (Pendulum-v0 agents: Pendulum-v1).")
    String envId;

    @Option(names = "--out", required = true, description = "The model file to write (.zip is added when missing).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandInputs.requireEnv(envId);
        CommandInputs.requireFile(file);
        requireOutput();
        if (!Sb2File.isSb2(file)) {
            throw new IllegalArgumentException(file + " is not a Stable Baselines 2 model (a pickle, or a zip with a 'data' entry)");
        }
        BaseAlgorithm<?> model = AgentFiles.load(algo, file, VecEnvs.makeVecEnv(envId, 1, 0L), System.out);
        Path saved = model.save(out);
        System.out.printf("%s agent %s on %s -> %s (%d parameters%s)%n", model.algorithmName(), file, envId, saved,
                model.getParameters().values().stream().mapToInt(values -> values.length).sum(),
                model.getVecNormalizeEnv() != null ? ", with its observation normalization" : "");
        return 0;
    }

    /**
     * Refuses an {@code --out} that names a directory (the model would land beside it as DIR.zip) or the
     * {@code --file} itself (the agent would be replaced by its import): checked before any work.
     */
    private void requireOutput() throws IOException {
        if (Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a directory; name the model file to write, e.g. "
                    + out.resolve(envId + ".zip"));
        }
        Path target = ModelArchive.withZipExtension(out);
        if (Files.exists(target) && Files.isSameFile(target, file)) {
            throw new ParameterException(spec.commandLine(), "--out " + target + " is the --file being imported; write the model"
                    + " elsewhere");
        }
    }
}
