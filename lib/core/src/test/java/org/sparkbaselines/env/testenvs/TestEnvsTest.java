package org.sparkbaselines.env.testenvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvWrapper;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.FlattenDictObservation;
import org.sparkbaselines.env.TimeLimit;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;

class TestEnvsTest {
    private static final List<String> IDS = List.of("IdentityEnv-v0", "IdentityEnvBox-v0", "IdentityEnvMultiDiscrete-v0",
            "IdentityEnvMultiBinary-v0", "BitFlipping-v0", "NanAndInf-v0");

    @Test
    void everyTestEnvIsRegisteredWithoutTimeLimit() {
        for (String id : IDS) {
            assertTrue(Envs.isRegistered(id), id);
            assertNull(Envs.spec(id).maxEpisodeSteps(), id);
            Env env = Envs.make(id);
            assertNull(EnvWrapper.find(env, TimeLimit.class), id);
            assertEquals(id, env.specId());
        }
    }

    @Test
    void identityEnvDefaultsAndKwargs() {
        assertEquals(new Discrete(1), Envs.make("IdentityEnv-v0").observationSpace());
        Env env = Envs.make("IdentityEnv-v0", Map.of("dim", 4, "ep_length", 2));
        assertEquals(new Discrete(4), env.actionSpace());
        env.reset(0L);
        assertFalse(env.step(new float[] {0}).done());
        assertTrue(env.step(new float[] {0}).truncated(), "ep_length 2 ends the episode itself");
    }

    @Test
    void identityVariantKwargs() {
        IdentityEnvBox box = assertInstanceOf(IdentityEnvBox.class,
                Envs.make("IdentityEnvBox-v0", Map.of("low", -2, "high", 3.5, "eps", 0.25, "ep_length", 7)).unwrapped());
        assertEquals(new Box(-2f, 3.5f, 1), box.observationSpace());
        assertEquals(0.25f, box.eps());
        assertEquals(7, box.epLength());
        assertEquals(new MultiDiscrete(3, 3), Envs.make("IdentityEnvMultiDiscrete-v0", Map.of("dim", 3)).actionSpace());
        assertEquals(new MultiBinary(5), Envs.make("IdentityEnvMultiBinary-v0", Map.of("dim", 5)).actionSpace());
    }

    @Test
    void bitFlippingKwargs() {
        BitFlippingEnv env = assertInstanceOf(BitFlippingEnv.class, Envs.make("BitFlipping-v0",
                Map.of("n_bits", 4, "continuous", true, "max_steps", 6, "discrete_obs_space", true)).unwrapped());
        assertEquals(4, env.nBits());
        assertTrue(env.continuous());
        assertEquals(6, env.maxSteps());
        assertTrue(env.discreteObsSpace());
        assertEquals(10, ((BitFlippingEnv) Envs.make("BitFlipping-v0").unwrapped()).maxSteps(), "max_steps defaults to n_bits");

        Env flat = Envs.make("BitFlipping-v0", Map.of("n_bits", 3, "flatten", true));
        assertNotNull(EnvWrapper.find(flat, FlattenDictObservation.class));
        assertEquals(new Box(0f, 1f, 9), flat.observationSpace());
    }

    @Test
    void unknownKwargIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Envs.make("BitFlipping-v0", Map.of("n_bit", 4)));
        assertTrue(e.getMessage().contains("BitFlipping-v0: unknown argument 'n_bit'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Envs.make("NanAndInf-v0", Map.of("dim", 1)));
        assertTrue(e.getMessage().contains("unknown argument 'dim'"), e.getMessage());
    }

    @Test
    void wronglyTypedKwargIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Envs.make("IdentityEnv-v0", Map.of("dim", "four")));
        assertTrue(e.getMessage().contains("argument 'dim' must be an integer"), e.getMessage());
    }
}
