package org.sparkbaselines.env.testenvs;

import java.util.Set;
import java.util.function.Function;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvSpec;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.FlattenDictObservation;
import org.sparkbaselines.env.Kwargs;

/**
 * Registers the reference's test envs. Keyword arguments use the reference's names; an unknown key is
 * an error naming it. None has a {@code TimeLimit}: the identity and bit-flipping envs end their own
 * episodes, NanAndInf-v0 never does.
 *
 * <ul>
 *   <li>{@code IdentityEnv-v0}: {@code dim} (1), {@code ep_length} (100)
 *   <li>{@code IdentityEnvBox-v0}: {@code low} (-1), {@code high} (1), {@code eps} (0.05), {@code ep_length} (100)
 *   <li>{@code IdentityEnvMultiDiscrete-v0}, {@code IdentityEnvMultiBinary-v0}: {@code dim} (1), {@code ep_length} (100)
 *   <li>{@code BitFlipping-v0}: {@code n_bits} (10), {@code continuous} (false), {@code max_steps} (n_bits),
 *       {@code discrete_obs_space} (false), {@code flatten} (false: true wraps it in {@link FlattenDictObservation})
 *   <li>{@code NanAndInf-v0}: no arguments
 * </ul>
 */
public final class TestEnvs {
    private static final String DIM = "dim";
    private static final String EP_LENGTH = "ep_length";

    private TestEnvs() {
    }

    public static void registerAll() {
        register("IdentityEnv-v0", Set.of(DIM, EP_LENGTH), k -> new IdentityEnv(
                k.getInt(DIM, IdentityEnv.DEFAULT_DIM), k.getInt(EP_LENGTH, IdentityEnv.DEFAULT_EP_LENGTH)));
        register("IdentityEnvBox-v0", Set.of("low", "high", "eps", EP_LENGTH), k -> new IdentityEnvBox(
                (float) k.getDouble("low", IdentityEnvBox.DEFAULT_LOW),
                (float) k.getDouble("high", IdentityEnvBox.DEFAULT_HIGH),
                (float) k.getDouble("eps", IdentityEnvBox.DEFAULT_EPS),
                k.getInt(EP_LENGTH, IdentityEnv.DEFAULT_EP_LENGTH)));
        register("IdentityEnvMultiDiscrete-v0", Set.of(DIM, EP_LENGTH), k -> new IdentityEnvMultiDiscrete(
                k.getInt(DIM, IdentityEnv.DEFAULT_DIM), k.getInt(EP_LENGTH, IdentityEnv.DEFAULT_EP_LENGTH)));
        register("IdentityEnvMultiBinary-v0", Set.of(DIM, EP_LENGTH), k -> new IdentityEnvMultiBinary(
                k.getInt(DIM, IdentityEnv.DEFAULT_DIM), k.getInt(EP_LENGTH, IdentityEnv.DEFAULT_EP_LENGTH)));
        register("BitFlipping-v0", Set.of("n_bits", "continuous", "max_steps", "discrete_obs_space", "flatten"), k -> {
            Env env = new BitFlippingEnv(k.getInt("n_bits", BitFlippingEnv.DEFAULT_N_BITS),
                    k.getBoolean("continuous", false), k.getIntOrNull("max_steps"),
                    k.getBoolean("discrete_obs_space", false));
            return k.getBoolean("flatten", false) ? new FlattenDictObservation(env) : env;
        });
        register("NanAndInf-v0", Set.of(), k -> new NanAndInfEnv());
    }

    private static void register(String id, Set<String> knownKwargs, Function<Kwargs, Env> factory) {
        Envs.register(new EnvSpec(id, kwargs -> factory.apply(Kwargs.of(id, kwargs, knownKwargs)), null, null));
    }
}
