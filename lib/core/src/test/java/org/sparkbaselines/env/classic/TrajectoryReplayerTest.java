package org.sparkbaselines.env.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.env.BaseEnv;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.env.verify.RecordedTrajectories;
import org.sparkbaselines.env.verify.ReplayReport;
import org.sparkbaselines.env.verify.ReplayReport.TrajectoryResult;
import org.sparkbaselines.env.verify.TrajectoryReplayer;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/** The replayer finds departures from a recording, reports them per trajectory, and refuses bad input clearly. */
class TrajectoryReplayerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A copy of the CartPole recording with {@code edit} applied to its JSON tree. */
    private Path editedCartPole(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(GymReference.file("CartPole-v1").toFile());
        edit.accept(root);
        Path file = tmp.resolve("edited-CartPole-v1.json");
        MAPPER.writeValue(file.toFile(), root);
        return file;
    }

    private static ObjectNode step(ObjectNode root, int trajectory, int step) {
        return (ObjectNode) root.get("trajectories").get(trajectory).get("steps").get(step);
    }

    @Test
    void aTamperedRewardIsReportedAtItsStepAndTheReplayGoesOn() throws IOException {
        Path file = editedCartPole(root -> step(root, 1, 12).put("reward", 0.5));

        ReplayReport report = new TrajectoryReplayer().replay("CartPole-v1", file);

        assertFalse(report.ok());
        TrajectoryResult tampered = report.trajectories().get(1);
        assertEquals(13, tampered.firstMismatch().step(), "steps count from 1; the 13th step was tampered");
        assertTrue(tampered.firstMismatch().description().startsWith("reward = 1.0, recorded 0.5"),
                tampered.firstMismatch().description());
        assertEquals(1, tampered.mismatchedSteps());
        assertEquals(0.5, tampered.maxRewardDeviation());
        assertEquals(tampered.recordedSteps(), tampered.stepsReplayed(), "a mismatch must not stop the replay");
        for (TrajectoryResult other : report.trajectories()) {
            if (other.index() != 1) {
                assertTrue(other.ok(), "trajectory " + other.index() + ": " + other.firstMismatch());
            }
        }
        String table = report.format();
        assertTrue(table.contains("MISMATCH in 1 step(s), first at step 13: reward"), table);
        assertTrue(table.contains("FAILED: 1 of 6 trajectories do not match"), table);
        assertEquals(report.trajectories().size() + 3, table.lines().count(), "header, column titles, one line each, verdict");
    }

    @Test
    void aTamperedFlagIsReported() throws IOException {
        Path file = editedCartPole(root -> step(root, 0, 4).put("truncated", true));

        TrajectoryResult result = new TrajectoryReplayer().replay("CartPole-v1", file).trajectories().get(0);

        assertEquals(5, result.firstMismatch().step());
        assertEquals("truncated = false, recorded true", result.firstMismatch().description());
    }

    @Test
    void anAlteredEnvIsCaughtAtItsFirstStepInEveryTrajectory() {
        RecordedTrajectories recorded = RecordedTrajectories.read(GymReference.file("Pendulum-v1"));

        ReplayReport report = new TrajectoryReplayer().replay(() -> Envs.make("Pendulum-v1", Map.of("g", 9.81)), recorded);

        assertEquals("Pendulum-v1", report.envId());
        assertEquals(recorded.trajectories().size(), report.trajectories().size());
        for (TrajectoryResult t : report.trajectories()) {
            assertFalse(t.ok());
            assertEquals(1, t.firstMismatch().step(), "the initial observation does not depend on gravity, the first step does");
            assertTrue(t.maxObsDeviation() > 1e-3, "deviation " + t.maxObsDeviation());
            assertEquals(200, t.stepsReplayed());
        }
    }

    @Test
    void anActionTheEnvRefusesEndsThatTrajectoryOnly() throws IOException {
        Path file = editedCartPole(root -> step(root, 2, 3).put("action", 7));

        ReplayReport report = new TrajectoryReplayer().replay("CartPole-v1", file);

        TrajectoryResult broken = report.trajectories().get(2);
        assertEquals(4, broken.firstMismatch().step());
        assertTrue(broken.firstMismatch().description().contains("CartPoleEnv: action [7.0]"), broken.firstMismatch().description());
        assertEquals(3, broken.stepsReplayed());
        assertTrue(report.trajectories().get(3).ok());
        assertEquals(6, report.trajectories().size());
    }

    @Test
    void aWrongInitialObservationIsAMismatchAtStepZero() throws IOException {
        Path file = editedCartPole(root -> ((ArrayNode) root.get("trajectories").get(0).get("initial_obs")).set(2, 0.25));

        TrajectoryResult result = new TrajectoryReplayer().replay("CartPole-v1", file).trajectories().get(0);

        assertEquals(0, result.firstMismatch().step());
        assertTrue(result.firstMismatch().description().startsWith("obs[2] = "), result.firstMismatch().description());
    }

    @Test
    void toleranceAcceptsDeviationsWithinItAndNotBeyond() throws IOException {
        // 0.0005 relative on a reward of 1.0.
        Path file = editedCartPole(root -> step(root, 0, 0).put("reward", 1.0005));

        assertFalse(new TrajectoryReplayer().replay("CartPole-v1", file).ok());
        assertTrue(new TrajectoryReplayer(1e-3, 0).replay("CartPole-v1", file).ok());
        assertFalse(new TrajectoryReplayer(1e-4, 1e-4).replay("CartPole-v1", file).ok());
    }

    @Test
    void malformedFilesAreRefusedNamingFileAndField() throws IOException {
        Path missingReward = editedCartPole(root -> step(root, 0, 3).remove("reward"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedTrajectories.read(missingReward));
        assertTrue(e.getMessage().contains(missingReward.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("trajectories[0].steps[3] has no 'reward'"), e.getMessage());

        Path textObs = editedCartPole(root -> step(root, 1, 0).put("obs", "0.1, 0.2"));
        e = assertThrows(IllegalArgumentException.class, () -> RecordedTrajectories.read(textObs));
        assertTrue(e.getMessage().contains("trajectories[1].steps[0].obs must be a non-empty array of numbers"), e.getMessage());

        Path notJson = tmp.resolve("broken.json");
        Files.writeString(notJson, "{\"env_id\": \"CartPole-v1\", \"trajectories\": [");
        e = assertThrows(IllegalArgumentException.class, () -> RecordedTrajectories.read(notJson));
        assertTrue(e.getMessage().startsWith(notJson + ": not valid JSON"), e.getMessage());

        Path missing = tmp.resolve("absent.json");
        e = assertThrows(IllegalArgumentException.class, () -> new TrajectoryReplayer().replay("CartPole-v1", missing));
        assertTrue(e.getMessage().contains("absent.json: no such trajectory file"), e.getMessage());
    }

    @Test
    void anUnknownEnvIdIsRefusedBeforeReading() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrajectoryReplayer().replay("NoSuchEnv-v9", GymReference.file("CartPole-v1")));
        assertTrue(e.getMessage().contains("unknown env id 'NoSuchEnv-v9'"), e.getMessage());
    }

    @Test
    void anEnvWithoutSettableStateIsAClearError() {
        RecordedTrajectories recorded = RecordedTrajectories.read(GymReference.file("CartPole-v1"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrajectoryReplayer().replay(StatelessEnv::new, recorded));

        assertTrue(e.getMessage().contains(StatelessEnv.class.getName() + " does not implement HasState"), e.getMessage());
    }

    @Test
    void aMatchingReplayReportsNoMismatch() {
        ReplayReport report = new TrajectoryReplayer().replay("MountainCar-v0", GymReference.file("MountainCar-v0"));

        assertTrue(report.ok());
        for (TrajectoryResult t : report.trajectories()) {
            assertNull(t.firstMismatch());
            assertEquals(0, t.mismatchedSteps());
        }
        assertTrue(report.format().endsWith("OK: all 5 trajectories match" + System.lineSeparator()), report.format());
    }

    /** An env whose state cannot be set. */
    private static final class StatelessEnv extends BaseEnv {
        private final float[] obs = new float[4];

        @Override
        public Space observationSpace() {
            return new Discrete(1);
        }

        @Override
        public Space actionSpace() {
            return new Discrete(2);
        }

        @Override
        protected float[] resetState() {
            return obs;
        }

        @Override
        public StepResult step(float[] action) {
            return result.set(obs, 1.0, false, false);
        }
    }
}
