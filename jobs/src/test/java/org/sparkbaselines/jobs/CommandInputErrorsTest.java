package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed command-line input that is caught before any work starts (no Spark): each is one error
 * line naming the problem, in the command line's own terms, and a non-zero exit.
 */
class CommandInputErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingFileIsNamedAsSuch() {
        String missing = tmp.resolve("nope.zip").toString();
        String message = "no such file: " + missing;
        CommandRun.of("evaluate", "--env", "CartPole-v1", "--model", missing).assertFailed(1, message);
        CommandRun.of("enjoy", "--algo", "ppo2", "--env", "CartPole-v1", "--model", missing).assertFailed(1, message);
        CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "-i", missing).assertFailed(1, message);
        CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--conf", missing).assertFailed(1, message);
        CommandRun.of("generate-expert", "--model", missing, "--env", "CartPole-v1", "--episodes", "2", "--table", tmp.toString())
                .assertFailed(1, message);
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", missing).assertFailed(1, message);
        CommandRun.of("dataset", "import", "--npz", missing, "--table", tmp.toString()).assertFailed(1, message);
        CommandRun.of("env-verify", "--env", "CartPole-v1", "--trajectories", missing).assertFailed(1, message);
    }

    @Test
    void countsMustBePositiveAndAreNamedByTheirOption() {
        CommandRun.of("enjoy", "--algo", "ppo2", "--env", "CartPole-v1", "-n", "-5").assertFailed(2, "--n-timesteps must be positive, got -5");
        CommandRun.of("evaluate", "--env", "CartPole-v1", "--episodes", "0").assertFailed(2, "--episodes must be positive, got 0");
        CommandRun.of("evaluate", "--env", "CartPole-v1", "--episodes-per-task", "-1")
                .assertFailed(2, "--episodes-per-task must be 0 or more, got -1");
        CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--timesteps", "-5").assertFailed(2, "--timesteps must be positive");
        CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--eval-episodes", "0").assertFailed(2, "--eval-episodes must be");
        CommandRun.of("generate-expert", "--expert", "cartpole-balance", "--env", "CartPole-v1", "--episodes", "-1", "--table", tmp.toString())
                .assertFailed(2, "--episodes must be positive, got -1");
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", "x.npz", "--epochs", "0")
                .assertFailed(2, "--epochs must be positive, got 0");
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", "x.npz", "--lr", "-1e-3")
                .assertFailed(2, "--lr must be positive, got -0.001");
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", "x.npz", "--train-fraction", "1")
                .assertFailed(2, "--train-fraction must be strictly between 0 and 1, got 1.0");
        CommandRun.of("pretrain", "--algo", "ppo2", "--env", "CartPole-v1", "--expert-npz", "x.npz", "--traj-limitation", "0")
                .assertFailed(2, "--traj-limitation must be -1 (all episodes) or positive, got 0");
    }

    @Test
    void anUnknownEnvIdIsNamed() {
        String message = "unknown env id 'NoSuchEnv-v0'; registered: ";
        CommandRun.of("train", "--algo", "ppo2", "--env", "NoSuchEnv-v0").assertFailed(1, message);
        CommandRun.of("enjoy", "--algo", "ppo2", "--env", "NoSuchEnv-v0").assertFailed(1, message);
        CommandRun.of("evaluate", "--env", "NoSuchEnv-v0").assertFailed(1, message);
        CommandRun.of("env-verify", "--env", "NoSuchEnv-v0", "--trajectories", tmp.toString()).assertFailed(1, message);
    }

    @Test
    void anEnvMissingFromTheBundledHyperparametersIsNamedWithTheBundledFile() {
        CommandRun.of("train", "--algo", "ppo2", "--env", "IdentityEnv-v0")
                .assertFailed(1, "the bundled hyperparams/ppo2.yml has no entry for IdentityEnv-v0; it has: [");
    }

    @Test
    void aDuplicateYamlKeyIsAnError() throws IOException {
        Path conf = Files.writeString(tmp.resolve("ppo2.yml"), """
                CartPole-v1:
                  n_envs: 8
                  n_timesteps: 1000
                  n_envs: 4
                """);
        CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--conf", conf.toString())
                .assertFailed(1, conf + " is not valid YAML (line 4): Duplicate field 'n_envs'");
        Path duplicateEnv = Files.writeString(tmp.resolve("a2c.yml"), """
                CartPole-v1:
                  n_envs: 8
                CartPole-v1:
                  n_envs: 4
                """);
        CommandRun.of("train", "--algo", "a2c", "--env", "CartPole-v1", "--conf", duplicateEnv.toString())
                .assertFailed(1, "Duplicate field 'CartPole-v1'");
    }

    @Test
    void envVerifyChecksTheFilesEnvId() throws IOException {
        Path trajectories = Files.writeString(tmp.resolve("cartpole.json"), """
                {"env_id": "CartPole-v1", "trajectories": [{"initial_state": [0, 0, 0, 0], "initial_obs": [0, 0, 0, 0],
                  "steps": [{"action": 0, "obs": [0, 0, 0, 0], "reward": 1.0, "terminated": false, "truncated": false}]}]}
                """);
        CommandRun.of("env-verify", "--env", "MountainCar-v0", "--trajectories", trajectories.toString())
                .assertFailed(1, trajectories + " records env_id CartPole-v1, not --env MountainCar-v0");
    }
}
