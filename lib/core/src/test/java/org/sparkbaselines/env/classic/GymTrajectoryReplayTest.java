package org.sparkbaselines.env.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.sparkbaselines.env.verify.RecordedTrajectories;
import org.sparkbaselines.env.verify.ReplayReport;
import org.sparkbaselines.env.verify.TrajectoryReplayer;

/** Our classic-control envs reproduce every recorded Gymnasium 0.29.1 step. */
class GymTrajectoryReplayTest {

    @ParameterizedTest
    @FieldSource("org.sparkbaselines.env.classic.GymReference#ENV_IDS")
    void everyRecordedStepMatches(String envId) {
        RecordedTrajectories recorded = RecordedTrajectories.read(GymReference.file(envId));
        ReplayReport report = new TrajectoryReplayer().replay(envId, GymReference.file(envId));
        System.out.print(report.format());

        assertEquals(envId, recorded.envId());
        assertEquals(recorded.trajectories().size(), report.trajectories().size());
        for (ReplayReport.TrajectoryResult t : report.trajectories()) {
            assertEquals(t.recordedSteps(), t.stepsReplayed(), () -> "trajectory " + t.index() + " stopped early");
        }
        assertTrue(report.ok(), report::format);
    }
}
