package org.sparkbaselines.spark.expert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.StepResult;

class ClassicControllersTest {

    /** Mean return over episodes reset with seeds {@code 0 .. episodes-1}; every episode must end by termination iff {@code terminates}. */
    private static double meanReturn(String envId, Predictor expert, int episodes, boolean terminates) {
        double total = 0;
        try (Env env = Envs.make(envId)) {
            for (long seed = 0; seed < episodes; seed++) {
                float[] obs = env.reset(seed);
                StepResult step;
                do {
                    step = env.step(expert.predict(obs, true));
                    total += step.reward();
                    obs = step.obs();
                } while (!step.done());
                assertEquals(terminates, step.terminated(), envId + " episode " + seed);
            }
        }
        return total / episodes;
    }

    @Test
    void theCartPoleControllerBalancesForTheWholeEpisode() {
        assertEquals(500.0, meanReturn("CartPole-v1", Experts.create(Experts.CARTPOLE_BALANCE, "CartPole-v1"), 100, false));
    }

    @Test
    void theMountainCarControllerReachesTheFlag() {
        double discrete = meanReturn("MountainCar-v0", Experts.create(Experts.MOUNTAINCAR_ENERGY, "MountainCar-v0"), 50, true);
        assertTrue(discrete > -130, "MountainCar-v0 mean return " + discrete);
        double continuous = meanReturn("MountainCarContinuous-v0",
                Experts.create(Experts.MOUNTAINCAR_ENERGY, "MountainCarContinuous-v0"), 50, true);
        assertTrue(continuous > 80, "MountainCarContinuous-v0 mean return " + continuous);
    }

    @Test
    void theRegistryListsTheBuiltInExperts() {
        assertTrue(Experts.names().containsAll(Set.of(Experts.CARTPOLE_BALANCE, Experts.MOUNTAINCAR_ENERGY)), Experts.names().toString());
    }
}
