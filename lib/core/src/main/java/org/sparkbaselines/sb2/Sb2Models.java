package org.sparkbaselines.sb2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.ddpg.DDPG;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.dqn.QPolicySpec;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.algos.trpo.TRPO;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.ReadLimits;
import org.sparkbaselines.io.pickle.PyObject;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ContinuousPolicyKwargs;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.vec.VecEnv;

/**
 * Stable Baselines 2 agents ({@code .pkl} or {@code .zip}, as the RL zoo keeps them) loaded into our
 * models without running anything the files name ({@link Sb2File}). The actor-critic family that shares
 * SB2's {@code MlpPolicy} imports: {@code ppo2}, {@code a2c} and {@code trpo} as full models (they learn on, save
 * in our format and reload), {@code acer} and {@code acktr} as {@link PredictionOnlyModel}s until those
 * algorithms are ported; {@code dqn}, {@code ddpg}, {@code td3} and {@code sac} as full models too. The zoo's observation normalization ({@link ZooNormalization}) becomes the
 * model's VecNormalize statistics; the hyperparameters the file carries become ours where they exist. What
 * cannot be kept is said in {@link Imported#notes()}.
 */
public final class Sb2Models {
    /** The algorithms whose SB2 agents import, by the reference's lower-case names. */
    public static final Set<String> ALGORITHMS = Set.of("ppo2", "a2c", "dqn", "ddpg", "td3", "sac", "acer", "acktr", "trpo");
    /**
     * The most an SB2 file (a {@code .pkl}, or one entry of a {@code .zip}) may hold: far above any agent (the
     * zoo's largest, Atari CNN policies, are a few MB), small enough to refuse a lying file before reading it.
     */
    public static final ReadLimits LIMITS = new ReadLimits(256L << 20, 512L << 20);
    /**
     * What tells SB2 algorithms apart in a file, which does not name its class: constructor arguments only
     * that algorithm saves (any one suffices), looked for in this order; A2C's ({@code alpha}, {@code epsilon})
     * are the most generic names, so they come last. TRPO covers GAIL, its subclass with the same network.
     */
    private static final Map<String, List<String>> SIGNATURES = signatures();
    /** Data entries that are constructor state or options, not hyperparameters. */
    private static final Set<String> NOT_HYPERPARAMETERS = Set.of("policy", "observation_space", "action_space", "policy_kwargs",
            "verbose", "seed", "n_cpu_tf_sess", "n_envs", "_vectorize_action", "tensorboard_log", "full_tensorboard_log", "nprocs",
            "expert_dataset", "num_timesteps");

    private Sb2Models() {
    }

    private static Map<String, List<String>> signatures() {
        Map<String, List<String>> signatures = new LinkedHashMap<>();
        signatures.put("acer", List.of("q_coef", "replay_ratio", "replay_start", "rprop_alpha"));
        signatures.put("acktr", List.of("kfac_clip", "vf_fisher_coef", "kfac_update"));
        signatures.put("trpo", List.of("max_kl", "cg_iters", "cg_damping", "timesteps_per_batch"));
        signatures.put("ppo1", List.of("clip_param", "optim_epochs", "optim_stepsize"));
        signatures.put("ppo2", List.of("nminibatches", "noptepochs", "cliprange"));
        signatures.put("dqn", List.of("exploration_fraction", "target_network_update_freq", "prioritized_replay"));
        signatures.put("ddpg", List.of("actor_lr", "critic_lr", "nb_train_steps"));
        signatures.put("td3", List.of("policy_delay", "target_policy_noise"));
        signatures.put("sac", List.of("target_entropy"));
        signatures.put("her", List.of("n_sampled_goal", "goal_selection_strategy"));
        signatures.put("a2c", List.of("alpha", "epsilon"));
        return java.util.Collections.unmodifiableMap(signatures);
    }

    /**
     * The algorithm that saved {@code file}, by the reference's lower-case name ({@code ppo2}, {@code dqn},
     * ...), recognised by constructor arguments only it saves; null when the data has none of them.
     */
    static String savedAlgorithm(Sb2File file) {
        for (Map.Entry<String, List<String>> signature : SIGNATURES.entrySet()) {
            if (signature.getValue().stream().anyMatch(file.data()::containsKey)) {
                return signature.getKey();
            }
        }
        return null;
    }

    /** Refuses a file saved by another algorithm than {@code algo}, naming the one that saved it. */
    private static void requireSavedBy(Sb2File file, String algo) {
        String saved = savedAlgorithm(file);
        if (saved == null || saved.equals(algo)) {
            return;
        }
        List<String> evidence = SIGNATURES.get(saved).stream().filter(file.data()::containsKey).toList();
        String what = file.path() + " was saved by " + saved.toUpperCase(Locale.ROOT) + " (its data has " + String.join(", ", evidence)
                + "), not " + algo.toUpperCase(Locale.ROOT);
        throw new IllegalArgumentException(ALGORITHMS.contains(saved) ? what + ": it imports as " + saved + " (--algo " + saved + ")"
                : what + "; Stable Baselines 2 agents of " + saved + " do not import, these do: "
                        + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)));
    }

    /**
     * An imported agent and what the import could not keep.
     *
     * @param model the model, on the given env (wrapped in VecNormalize with the agent's statistics when it was normalized)
     * @param notes one line per thing not kept as it was (a schedule stored as a pickled function, skipped copies)
     */
    public record Imported(BaseAlgorithm<?> model, List<String> notes) {
        public Imported {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Loads the SB2 agent in {@code file} for {@code env}.
     *
     * @param algorithm {@code ppo2}, {@code a2c}, {@code acer}, {@code acktr} or {@code trpo} (any case)
     * @param env an Env, a VecEnv or a registered env id whose spaces the agent was trained on
     * @throws MalformedFileException naming the file and the problem (corrupt or hostile file, an agent of other
     *     spaces than the env's, non-finite parameters, hyperparameters our algorithm refuses)
     * @throws IllegalArgumentException for an algorithm that does not import, a file another algorithm saved,
     *     or spaces no MlpPolicy takes
     */
    public static Imported load(String algorithm, Path file, Object env) throws IOException {
        java.util.Objects.requireNonNull(algorithm, "algorithm");
        java.util.Objects.requireNonNull(file, "file");
        String algo = algorithm.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algo)) {
            throw new IllegalArgumentException("Stable Baselines 2 agents of '" + algorithm + "' do not import; these do: "
                    + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)));
        }
        VecEnv venv = BaseAlgorithm.toVecEnv(env, null);
        Sb2File sb2 = Sb2File.read(file, LIMITS);
        requireSavedBy(sb2, algo);
        List<String> notes = new ArrayList<>();
        Map<String, Object> hyperparameters = hyperparameters(sb2, notes);
        ZooNormalization normalization = ZooNormalization.find(file, venv.observationSpace().flatDim());
        if (normalization != null) {
            double gamma = hyperparameters.get("gamma") instanceof Number g ? g.doubleValue() : 0.99;
            VecEnv wrapped = normalization.applyTo(venv, true, gamma);
            notes.add("observations normalized with the statistics of " + normalization.source()
                    + (wrapped == venv ? ", copied into the env's own VecNormalize" : ""));
            venv = wrapped;
        }
        BaseAlgorithm<?> model;
        Map<String, float[]> parameters;
        try {
            if (algo.equals("td3") || algo.equals("sac") || algo.equals("ddpg")) {
                Sb2ContinuousAgent agent = Sb2ContinuousAgent.read(algo, sb2, venv.observationSpace(), venv.actionSpace(), hyperparameters, notes);
                AlgorithmOptions options = new AlgorithmOptions(0, null, agent.policyKwargs(), null, false, null);
                Map<String, Object> hyper = Sb2ContinuousAgent.hyperparameters(algo, sb2, hyperparameters, notes);
                model = switch (algo) {
                    case "td3" -> new TD3(ContinuousPolicyKwargs.MLP, venv, TD3.Config.DEFAULT.with(known(TD3.Config.DEFAULT, hyper, notes)), options);
                    case "ddpg" -> new DDPG(ContinuousPolicyKwargs.MLP, venv, DDPG.Config.DEFAULT.with(known(DDPG.Config.DEFAULT, hyper, notes)),
                            options);
                    default -> new SAC(ContinuousPolicyKwargs.MLP, venv, SAC.Config.DEFAULT.with(known(SAC.Config.DEFAULT, hyper, notes)), options);
                };
                parameters = agent.parameters();
            } else if (algo.equals("dqn")) {
                Sb2Dqn dqn = Sb2Dqn.read(sb2, venv.observationSpace(), venv.actionSpace(), notes);
                AlgorithmOptions options = new AlgorithmOptions(0, null, dqn.spec().toMap(), null, false, null);
                model = new DQN(dqn.spec().layerNorm() ? QPolicySpec.LN_MLP : QPolicySpec.MLP, venv,
                        DQN.Config.DEFAULT.with(known(DQN.Config.DEFAULT, hyperparameters, notes)), options);
                parameters = dqn.parameters();
            } else {
                PolicyKwargs kwargs = Sb2ActorCritic.policyKwargs(sb2);
                parameters = Sb2ActorCritic.parameters(sb2, venv.observationSpace(), venv.actionSpace(), kwargs, notes);
                AlgorithmOptions options = new AlgorithmOptions(0, null, kwargs.toMap(), null, false, null);
                model = switch (algo) {
                    case "ppo2" -> new PPO2(ActorCriticPolicies.MLP, venv,
                            PPO2.Config.DEFAULT.with(known(PPO2.Config.DEFAULT, hyperparameters, notes)), options);
                    case "a2c" -> new A2C(ActorCriticPolicies.MLP, venv,
                            A2C.Config.DEFAULT.with(known(A2C.Config.DEFAULT, hyperparameters, notes)), options);
                    case "trpo" -> new TRPO(ActorCriticPolicies.MLP, venv,
                            TRPO.Config.DEFAULT.with(known(TRPO.Config.DEFAULT, hyperparameters, notes)), options);
                    default -> new PredictionOnlyModel(algo.toUpperCase(Locale.ROOT), venv, null, null, hyperparameters, options);
                };
            }
        } catch (IllegalArgumentException e) {
            // The file's values met our checks (n_steps >= 1, numbers where numbers belong): say whose values they were.
            throw new MalformedFileException(file + ": its hyperparameters do not make a " + algo.toUpperCase(Locale.ROOT) + " model ("
                    + e.getMessage() + ")", e);
        }
        model.loadParameters(parameters, true);
        return new Imported(model, notes);
    }

    /**
     * The file's hyperparameters as plain values: numbers, strings, booleans and None as they are; a schedule
     * saved as a pickled function becomes its value (the number its closure holds, e.g. {@code constfn(3e-4)}),
     * with a note; anything else is dropped with a note.
     */
    static Map<String, Object> hyperparameters(Sb2File file, List<String> notes) throws MalformedFileException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : file.data().keySet()) {
            if (NOT_HYPERPARAMETERS.contains(key)) {
                continue;
            }
            Object value = file.get(key);
            if (value instanceof Double d && d.isNaN()) {
                // Our configs take any double; a NaN gamma or learning rate would only show as NaN losses later.
                throw new MalformedFileException(file.path() + ": hyperparameter " + key + " is NaN");
            }
            if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean) {
                out.put(key, value instanceof Long l && Math.abs(l) < (1L << 31) ? (Object) l.intValue() : value);
            } else if (closureValue(value) instanceof Number constant) {
                out.put(key, constant);
                notes.add(key + " was saved as a function (" + functionName(value) + "); kept as its value " + constant);
            } else {
                notes.add(key + " was saved as " + (Sb2File.isSerialized(value) ? "a cloudpickled value, never decoded here" : Sb2File.describe(value))
                        + "; not kept");
            }
        }
        return out;
    }

    /** The entries of {@code hyperparameters} that {@code config} has, converted; the rest noted as not used. */
    private static Map<String, Object> known(Record config, Map<String, Object> hyperparameters, List<String> notes) {
        Set<String> names = Hyperparameters.toMap(config).keySet();
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> unused = new ArrayList<>();
        hyperparameters.forEach((key, value) -> {
            if (names.contains(key)) {
                out.put(key, value);
            } else {
                unused.add(key);
            }
        });
        if (!unused.isEmpty()) {
            notes.add("not hyperparameters of ours, not used: " + String.join(", ", unused));
        }
        return out;
    }

    /** The single number a cloudpickled closure holds (SB2's {@code constfn}, the zoo's {@code linear_schedule}), or null. */
    private static Object closureValue(Object value) {
        Object cells = fillFunctionState(value, state -> state.get("closure_values"));
        if (cells == null && value instanceof PyObject function && function.type().name().equals("_fill_function")
                && function.args().size() == 6) {
            cells = function.args().get(5); // cloudpickle before 0.6: (func, globals, defaults, dict, module, closure_values)
        }
        return cells instanceof List<?> list && list.size() == 1 ? list.get(0) : null;
    }

    private static String functionName(Object value) {
        Object name = fillFunctionState(value, state -> state.get("qualname") != null ? state.get("qualname") : state.get("name"));
        return name == null ? "a pickled function" : String.valueOf(name);
    }

    /** Applies {@code read} to the state dict cloudpickle's {@code _fill_function(func, globals, defaults, dict, ...)} gets, or null. */
    private static Object fillFunctionState(Object value, Function<Map<?, ?>, Object> read) {
        if (!(value instanceof PyObject function) || !function.type().name().equals("_fill_function")) {
            return null;
        }
        for (Object arg : function.args()) {
            if (arg instanceof Map<?, ?> state && (state.containsKey("closure_values") || state.containsKey("qualname"))) {
                return read.apply(state);
            }
        }
        return null;
    }
}
