package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

class PretrainCommandTest {

    @TempDir
    Path tmp;

    @Test
    void pretrainsEvaluatesAndSaves() throws IOException {
        Path npz = cartPoleShapedNpz();
        Path model = tmp.resolve("bc.zip");
        CommandRun out = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", npz.toString(), "--epochs", "2", "--lr", "1e-3",
                "--save", model.toString(), "--eval-episodes", "2", "--verbose", "0");
        assertEquals(0, out.exitCode(), out.toString());
        assertTrue(out.stdout().contains("Evaluation over 2 episodes: mean reward"), out.stdout());
        assertTrue(Files.isRegularFile(model));
        assertEquals("PPO2", PPO2.load(model, null).algorithmName());
    }

    /** The bar: BC on the shipped PPO2 expert data, read from Delta, reaches 450 without any RL. */
    @Test
    @Tag("slow")
    void cloningTheShippedDeltaDatasetBalancesThePole() {
        CommandRun out = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-table",
                CommandRun.shippedData("expert-cartpole").toString(), "--epochs", "30", "--lr", "1e-3", "--eval-episodes", "10", "--verbose", "0");
        assertEquals(0, out.exitCode(), out.toString());
        Matcher reward = Pattern.compile("Evaluation over 10 episodes: mean reward ([0-9.]+)").matcher(out.stdout());
        assertTrue(reward.find(), out.stdout());
        assertTrue(Double.parseDouble(reward.group(1)) >= 450, out.stdout());
    }

    /** Off-policy algorithms clone on the driver as the reference's pretrain does: DQN from the shipped table balances too. */
    @Test
    @Tag("slow")
    void dqnClonesTheShippedDatasetOnTheDriverButNotDataParallel() {
        Path model = tmp.resolve("dqn-bc.zip");
        CommandRun out = CommandRun.of("pretrain", "--algo", "dqn", "--env", "CartPole-v1", "--expert-table",
                CommandRun.shippedData("expert-cartpole").toString(), "--epochs", "30", "--lr", "1e-3", "--save", model.toString(), "--eval-episodes", "10",
                "--verbose", "0");
        assertEquals(0, out.exitCode(), out.toString());
        Matcher reward = Pattern.compile("Evaluation over 10 episodes: mean reward ([0-9.]+)").matcher(out.stdout());
        assertTrue(reward.find() && Double.parseDouble(reward.group(1)) >= 450, out.stdout());
        assertTrue(Files.isRegularFile(model));

        CommandRun parallel = CommandRun.of("pretrain", "--algo", "dqn", "--env", "CartPole-v1", "--expert-table",
                CommandRun.shippedData("expert-cartpole").toString(), "--data-parallel");
        assertEquals(1, parallel.exitCode(), parallel.toString());
        assertTrue(parallel.output().contains("--data-parallel clones on-policy algorithms"), parallel.output());
    }

    /** The data-parallel mode from the command line: the shipped table, trained on the executors, then saved and evaluated. */
    @Test
    @Tag("slow")
    void dataParallelCloningFromTheShippedTable() {
        Path model = tmp.resolve("dp.zip");
        CommandRun out = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-table",
                CommandRun.shippedData("expert-cartpole").toString(), "--data-parallel", "--workers", "2", "--averaging-frequency", "10",
                "--epochs", "2", "--lr", "1e-3", "--save", model.toString(), "--eval-episodes", "2", "--verbose", "0");
        assertEquals(0, out.exitCode(), out.toString());
        assertTrue(out.stdout().contains("data-parallel") && out.stdout().contains("Evaluation over 2 episodes: mean reward"), out.stdout());
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void dataParallelNeedsExpertTable() throws IOException {
        CommandRun out = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", cartPoleShapedNpz().toString(),
                "--data-parallel");
        assertEquals(2, out.exitCode(), out.toString());
        assertTrue(out.stderr().contains("--data-parallel needs --expert-table"), out.stderr());
        CommandRun workers = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", cartPoleShapedNpz().toString(),
                "--workers", "2");
        assertEquals(2, workers.exitCode(), workers.toString());
        assertTrue(workers.stderr().contains("--workers and --averaging-frequency go with --data-parallel"), workers.stderr());
    }

    @Test
    void datasetGoesWithExpertTable() throws IOException {
        CommandRun out = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", cartPoleShapedNpz().toString(),
                "--dataset", "CartPole-v1");
        assertEquals(2, out.exitCode(), out.toString());
        assertTrue(out.stderr().contains("--dataset goes with --expert-table"), out.stderr());
    }

    @Test
    void exactlyOneExpertSourceIsRequired() throws IOException {
        assertEquals(2, CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1").exitCode());
        assertEquals(2, CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", cartPoleShapedNpz().toString(),
                "--expert-table", tmp.toString()).exitCode());
    }

    @Test
    void dataForAnotherEnvIsAClearError() throws IOException {
        CommandRun out = CommandRun.of("pretrain", "--algo", "ppo2", "--env", "Pendulum-v1", "--expert-npz", cartPoleShapedNpz().toString(), "--verbose", "0");
        assertEquals(1, out.exitCode(), out.toString());
        out.assertFailed(1, "the observations of " + tmp.resolve("expert.npz") + " have 4 value(s) per step, but Box");
    }

    /** The checks of {@code sb dataset import} (one shared reader): returns must be the sums of the episodes' rewards. */
    @Test
    void episodeReturnsThatContradictTheRewardsAreRefused() throws IOException {
        Path npz = cartPoleShapedNpz(new double[] {20, 25});
        Path model = tmp.resolve("bc.zip");
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", npz.toString(), "--save", model.toString())
                .assertFailed(1, npz + ": episode_returns[1] is 25.0 but the episode's rewards sum to 20.0");
        assertFalse(Files.exists(model));
    }

    /** Two short episodes of random CartPole-sized data: 4 observation values, Discrete(2) actions. */
    private Path cartPoleShapedNpz() throws IOException {
        return cartPoleShapedNpz(new double[] {20, 20});
    }

    /** {@link #cartPoleShapedNpz()} with the given {@code episode_returns}. */
    private Path cartPoleShapedNpz(double[] episodeReturns) throws IOException {
        int steps = 40;
        SplittableRandom random = new SplittableRandom(0);
        float[][] obs = new float[steps][];
        float[][] actions = new float[steps][];
        boolean[] starts = new boolean[steps];
        for (int step = 0; step < steps; step++) {
            obs[step] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian(), 0};
            actions[step] = new float[] {random.nextInt(2)};
            starts[step] = step % 20 == 0;
        }
        double[] rewards = new double[steps];
        Arrays.fill(rewards, 1);
        Path file = tmp.resolve("expert.npz");
        new TrajectoryData(obs, actions, rewards, episodeReturns, starts,
                TrajectoryData.Layout.forSpaces(new Box(-5, 5, 4), new Discrete(2))).writeNpz(file);
        return file;
    }
}
