package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.vec.VecEnvs;

/** {@code sb evaluate --models}: its options and its report. The job's tables are tested in lib/spark. */
class EvaluateCommandTest {
    /** An algorithm whose loading throws an {@link Error}, as code referring to a class missing at run time does. */
    private static final String LINKAGE_BROKEN = "linkage-broken";

    @TempDir
    Path tmp;

    @Test
    void batchOptionsAreCheckedBeforeAnythingRuns() {
        String models = tmp.toString();
        assertEquals(2, CommandRun.of("evaluate", "--env", "CartPole-v1", "--models", models).exitCode());
        assertEquals(2, CommandRun.of("evaluate", "--env", "CartPole-v1", "--table", models).exitCode());
        assertEquals(2, CommandRun.of("evaluate", "--env", "CartPole-v1", "--models", models, "--table", models, "--model", "m.zip").exitCode());
        CommandRun withPolicy = CommandRun.of("evaluate", "--env", "CartPole-v1", "--models", models, "--table", models, "--policy", "random");
        assertEquals(2, withPolicy.exitCode());
        assertTrue(withPolicy.stderr().contains("--policy"), withPolicy.stderr());
    }

    /**
     * Single-model evaluation starts episode i from {@code reset(seed = --seed + i)}, as batch evaluation
     * does: two episodes from seed 7 score what one episode from seed 7 and one from seed 8 score.
     */
    @Test
    void episodeIOfASingleModelStartsFromSeedPlusI() throws IOException {
        Path model = tmp.resolve("ppo2.zip");
        new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L), PPO2.Config.DEFAULT.with(Map.of("n_steps", 16)),
                AlgorithmOptions.DEFAULT.withSeed(0L)).learn(512).save(model);

        double both = meanReward("--episodes", "2", "--seed", "7", "--model", model.toString());
        double seven = meanReward("--episodes", "1", "--seed", "7", "--model", model.toString());
        double eight = meanReward("--episodes", "1", "--seed", "8", "--model", model.toString());

        assertEquals((seven + eight) / 2, both, 1e-9);
    }

    private static double meanReward(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--env", "CartPole-v1"));
        args.addAll(List.of(options));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.stderr());
        java.util.regex.Matcher mean = java.util.regex.Pattern.compile("mean reward\\s+([0-9.]+)").matcher(run.stdout());
        assertTrue(mean.find(), run.stdout());
        return Double.parseDouble(mean.group(1));
    }

    /**
     * Models that cannot be loaded, whatever the loader throws (an I/O error, an unknown algorithm, an
     * {@link Error} from a custom algorithm's code), are reported and recorded as failed; the others are evaluated.
     */
    @Test
    @Tag("slow")
    void printsOneLinePerModelAndFailsNamingEveryModelThatDoesNotLoad() throws IOException {
        Algorithms.register(LINKAGE_BROKEN, new Algorithms.Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyperparameters, AlgorithmOptions options) {
                throw new UnsupportedOperationException("the test only loads models of this algorithm");
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) {
                throw new NoClassDefFoundError("org/example/CustomPolicy");
            }
        });
        Path models = tmp.resolve("models");
        Path good = models.resolve("ppo2/good.zip");
        new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L), PPO2.Config.DEFAULT.with(Map.of("n_steps", 16)),
                AlgorithmOptions.DEFAULT.withSeed(0L)).learn(256).save(good);
        Path truncated = models.resolve("ppo2/truncated.zip");
        byte[] goodBytes = Files.readAllBytes(good);
        Files.write(truncated, Arrays.copyOf(goodBytes, goodBytes.length / 2));
        Path unknownAlgorithm = withAlgorithm(good, "HER", models.resolve("other/her.zip"));
        Path throwsError = withAlgorithm(good, LINKAGE_BROKEN, models.resolve("other/linkage.zip"));

        CommandRun run = CommandRun.of("evaluate", "--models", models.toString(), "--env", "CartPole-v1", "--episodes", "3",
                "--table", tmp.resolve("evaluation").toString(), "--seed", "7");

        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("4 models, 3 deterministic episodes each (seeds 7..9)"), run.stdout());
        assertTrue(run.stdout().matches("(?s).*ppo2/good\\s+PPO2\\s+256\\s+3\\s.*ok\\n.*"), run.stdout());
        for (String failed : List.of("ppo2/truncated", "other/her", "other/linkage")) {
            assertTrue(run.stdout().matches("(?s).*" + failed + "\\s+-\\s+-\\s+0\\s.*failed\\n.*"), run.stdout());
        }
        assertTrue(run.stderr().contains("cannot evaluate model file:" + truncated), run.stderr());
        assertTrue(run.stderr().contains("cannot evaluate model file:" + unknownAlgorithm + ": unknown algorithm 'HER'"), run.stderr());
        assertTrue(run.stderr().contains("cannot evaluate model file:" + throwsError
                + ": java.lang.NoClassDefFoundError: org/example/CustomPolicy"), run.stderr());
        assertTrue(run.stderr().contains("3 of 4 models could not be evaluated"), run.stderr());
        assertFalse(run.stderr().contains("\tat "), run.stderr());
    }

    /** A copy of the model file {@code model} whose {@code data.json} names another algorithm. */
    private static Path withAlgorithm(Path model, String algorithm, Path copy) throws IOException {
        Files.createDirectories(copy.getParent());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals("data.json")) {
                    content = new String(content, StandardCharsets.UTF_8)
                            .replaceFirst("\"algorithm\" : \"PPO2\"", "\"algorithm\" : \"" + algorithm + "\"").getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
        }
        return copy;
    }
}
