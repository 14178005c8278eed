package org.sparkbaselines.sb2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.ddpg.DDPGPolicy;
import org.sparkbaselines.algos.sac.SACPolicy;
import org.sparkbaselines.algos.td3.TD3Policy;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.pickle.PyObject;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.policies.ContinuousPolicyKwargs;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.spaces.Space;

/**
 * A Stable Baselines 2 TD3, SAC or DDPG agent's networks read from its file. Their variables have the names ours have
 * ({@code model/pi/fc0/kernel:0}, ..., {@code target/...}), so a named file (TD3's {@code .pkl} OrderedDict, a
 * {@code .zip}) maps by name, and a {@code .pkl} list by the reference's order, after which the saved lists may repeat
 * (SAC before 2.5 saved its parameters twice): the repeat is skipped and noted. The hidden layers are read off the
 * actor's arrays (a file does not record a default {@code layers}), {@code act_fun} from {@code policy_kwargs}. A SAC
 * agent trained with a fixed {@code ent_coef} has no {@code log_ent_coef}: it is set from the coefficient.
 *
 * @param policyKwargs our policy's {@code layers} and {@code act_fun}
 * @param parameters every parameter of our policy, by name
 */
record Sb2ContinuousAgent(Map<String, Object> policyKwargs, Map<String, float[]> parameters) {
    private static final String LOG_ENT_COEF = "log_ent_coef:0";
    /** Parameters a file may lack ({@link #missing}). */
    private static final java.util.Set<String> OPTIONAL = java.util.Set.of(LOG_ENT_COEF, "obs_rms/mean:0", "obs_rms/var:0", "obs_rms/count:0",
            "ret_rms/mean:0", "ret_rms/var:0", "ret_rms/count:0");

    static Sb2ContinuousAgent read(String algo, Sb2File file, Space observationSpace, Space actionSpace, Map<String, Object> hyperparameters,
            List<String> notes) throws MalformedFileException {
        Sb2Spaces.requireFits(file, observationSpace, actionSpace);
        int obsDim = new ObservationEncoder(observationSpace).inputDim();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        boolean layerNorm = layerNorm(file);
        kwargs.put("layers", actorLayers(file, obsDim, actionSpace.flatDim(), layerNorm));
        kwargs.put("act_fun", activation(file).name().toLowerCase(java.util.Locale.ROOT));
        if (layerNorm) {
            kwargs.put("layer_norm", true);
            notes.add("layer-normalized hidden layers (the reference's LnMlpPolicy)");
        }
        LinkedHashMap<String, int[]> expected = switch (algo) {
            case "sac" -> SACPolicy.parameterShapes(ContinuousPolicyKwargs.MLP, observationSpace, actionSpace, kwargs);
            case "ddpg" -> DDPGPolicy.parameterShapes(ContinuousPolicyKwargs.MLP, observationSpace, actionSpace, kwargs);
            default -> TD3Policy.parameterShapes(ContinuousPolicyKwargs.MLP, observationSpace, actionSpace, kwargs);
        };
        Map<String, NdArray> found = file.names() != null ? byName(file, expected, notes) : byOrder(file, expected, notes);
        Map<String, float[]> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> entry : expected.entrySet()) {
            String name = entry.getKey();
            NdArray array = found.get(name);
            if (array == null) {
                parameters.put(name, missing(file, name, entry.getValue(), hyperparameters));
                continue;
            }
            int[] shape = name.equals(LOG_ENT_COEF) ? new int[] {1} : entry.getValue();
            if (!Arrays.equals(array.shape(), shape) && !(name.equals(LOG_ENT_COEF) && array.size() == 1)) {
                throw new MalformedFileException(file.path() + ": parameter " + name + " has shape " + NdArray.formatShape(array.shape())
                        + " but the env's spaces and the policy's layers give " + NdArray.formatShape(shape) + " (is the model for this env?)");
            }
            parameters.put(name, Sb2ActorCritic.finite(file, name, array.toFloatArray()));
        }
        return new Sb2ContinuousAgent(kwargs, parameters);
    }

    /**
     * What a parameter the file may lack starts at: SAC's {@code log_ent_coef} from its fixed {@code ent_coef}; DDPG's
     * observation and return statistics, which an agent trained without {@code normalize_observations} (or Pop-Art) never
     * used, at their start.
     */
    private static float[] missing(Sb2File file, String name, int[] shape, Map<String, Object> hyperparameters) throws MalformedFileException {
        if (name.equals(LOG_ENT_COEF)) {
            Object entCoef = hyperparameters.get("ent_coef");
            if (entCoef instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
                return new float[] {(float) Math.log(n.doubleValue())};
            }
            throw new MalformedFileException(file.path() + ": a SAC agent needs log_ent_coef or a positive ent_coef, got ent_coef " + entCoef);
        }
        boolean returns = name.startsWith("ret_rms/");
        if (Boolean.TRUE.equals(hyperparameters.get(returns ? "enable_popart" : "normalize_observations"))) {
            throw new MalformedFileException(file.path() + ": a DDPG agent trained with " + (returns ? "enable_popart" : "normalize_observations")
                    + " needs its " + (returns ? "return" : "observation") + " statistics, which the file does not hold (" + name + ")");
        }
        float[] values = new float[shape[0]];
        java.util.Arrays.fill(values, name.endsWith("/var:0") ? 1f : name.endsWith("/count:0") ? 1e-2f : 0f);
        return values;
    }

    /**
     * Whether the agent's hidden layers are layer-normalized (the reference's {@code LnMlpPolicy}): by name, a
     * {@code LayerNorm} scope; in a {@code .pkl} list, a vector (the first layer norm's shift) where the next kernel would be.
     */
    private static boolean layerNorm(Sb2File file) {
        if (file.names() != null) {
            return file.names().stream().anyMatch(name -> name.contains("/LayerNorm"));
        }
        return file.arrays().size() > 2 && file.arrays().get(2).ndim() == 1;
    }

    /**
     * The actor's hidden widths: kernels {@code (in, h)} from {@code model/pi/fc0} on (each followed by its layer norm's shift
     * and gain when {@code layerNorm}), up to the one giving the actions.
     */
    private static List<Integer> actorLayers(Sb2File file, int obsDim, int actDim, boolean layerNorm) throws MalformedFileException {
        List<NdArray> actor = new ArrayList<>();
        for (int i = 0; i < file.arrays().size(); i++) {
            if (file.names() == null || file.names().get(i).startsWith("model/pi/")) {
                actor.add(file.arrays().get(i));
            }
        }
        List<Integer> layers = new ArrayList<>();
        int in = obsDim;
        for (int i = 0; i + 1 < actor.size(); i += 2) {
            int[] kernel = actor.get(i).shape();
            int[] bias = actor.get(i + 1).shape();
            if (kernel.length != 2 || kernel[0] != in || bias.length != 1 || bias[0] != kernel[1]) {
                break;
            }
            if (kernel[1] == actDim) {
                return layers;
            }
            layers.add(kernel[1]);
            in = kernel[1];
            if (layerNorm) {
                i += 2;
            }
        }
        throw new MalformedFileException(file.path() + ": its first arrays are not an actor from " + obsDim + " observations to " + actDim
                + " actions (is the model for this env?)");
    }

    private static Activation activation(Sb2File file) throws MalformedFileException {
        if (file.get("policy_kwargs") instanceof Map<?, ?> kwargs && kwargs.get("act_fun") != null) {
            return Sb2ActorCritic.activation(file, kwargs.get("act_fun"));
        }
        return Activation.RELU;
    }

    private static Map<String, NdArray> byName(Sb2File file, Map<String, int[]> expected, List<String> notes) throws MalformedFileException {
        Map<String, NdArray> found = new LinkedHashMap<>();
        Map<String, NdArray> runningSums = new LinkedHashMap<>();
        for (int i = 0; i < file.names().size(); i++) {
            String name = file.names().get(i);
            String ours = (name.endsWith(":0") ? name : name + ":0").replace("/qf/qf/", "/qf/qf_output/");
            if (ours.startsWith("obs_rms/") || ours.startsWith("ret_rms/")) {
                runningSums.put(ours, file.arrays().get(i));
            } else if (expected.containsKey(ours)) {
                found.put(ours, file.arrays().get(i));
            }
        }
        found.putAll(runningStatistics(file, runningSums, "obs_rms"));
        found.putAll(runningStatistics(file, runningSums, "ret_rms"));
        List<String> missing = expected.keySet().stream().filter(n -> !found.containsKey(n) && !OPTIONAL.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new MalformedFileException(file.path() + " lacks parameters the policy has: " + missing);
        }
        int others = file.names().size() - found.size();
        if (others > 0) {
            notes.add(others + " arrays that are not parameters of ours skipped");
        }
        return found;
    }

    /**
     * DDPG's observation ({@code obs_rms}) or return ({@code ret_rms}) statistics as ours keeps them (mean, variance, count) from
     * the reference's running sums ({@code <scope>/runningsum:0}, {@code runningsumsq:0}, {@code count:0}): {@code mean = sum / count},
     * {@code var = sumsq / count - mean^2}. None when the file holds none.
     */
    private static Map<String, NdArray> runningStatistics(Sb2File file, Map<String, NdArray> sums, String scope) throws MalformedFileException {
        NdArray sum = sums.get(scope + "/runningsum:0");
        NdArray sumSquares = sums.get(scope + "/runningsumsq:0");
        NdArray count = sums.get(scope + "/count:0");
        if (sum == null && sumSquares == null) {
            return Map.of();
        }
        if (sum == null || sumSquares == null || count == null || sum.size() != sumSquares.size() || count.size() != 1) {
            throw new MalformedFileException(file.path() + ": its " + scope + " statistics are not the reference's running sums "
                    + "(" + scope + "/runningsum, runningsumsq and count of matching sizes): " + sums.keySet());
        }
        double n = count.toDoubleArray()[0];
        double[] s = sum.toDoubleArray();
        double[] sq = sumSquares.toDoubleArray();
        if (!(n > 0) || !Double.isFinite(n)) {
            throw new MalformedFileException(file.path() + ": " + scope + "/count is " + n);
        }
        float[] mean = new float[s.length];
        float[] var = new float[s.length];
        for (int j = 0; j < s.length; j++) {
            mean[j] = (float) (s[j] / n);
            var[j] = (float) (sq[j] / n - (s[j] / n) * (s[j] / n));
        }
        Map<String, NdArray> out = new LinkedHashMap<>();
        out.put(scope + "/mean:0", NdArray.ofFloats(mean, mean.length));
        out.put(scope + "/var:0", NdArray.ofFloats(var, var.length));
        out.put(scope + "/count:0", NdArray.ofFloats(new float[] {(float) n}, 1));
        return out;
    }

    /** A {@code .pkl} list in the reference's order ({@code log_ent_coef}, a scalar, only where SAC learned it), possibly repeated. */
    private static Map<String, NdArray> byOrder(Sb2File file, Map<String, int[]> expected, List<String> notes) throws MalformedFileException {
        List<String> names = new ArrayList<>(expected.keySet());
        int logEntCoef = names.indexOf(LOG_ENT_COEF);
        List<NdArray> arrays = file.arrays();
        if (logEntCoef >= 0 && !(logEntCoef < arrays.size() && arrays.get(logEntCoef).size() == 1 && arrays.get(logEntCoef).ndim() <= 1)) {
            names.remove(logEntCoef);
        }
        // The reference's DDPG .pkl files keep no observation or return statistics among their parameters.
        names.removeIf(name -> name.startsWith("obs_rms/") || name.startsWith("ret_rms/"));
        if (arrays.size() < names.size()) {
            throw new MalformedFileException(file.path() + " holds " + arrays.size() + " parameter arrays; the policy for the env's spaces has "
                    + names.size() + " (in order: " + names + ")");
        }
        Map<String, NdArray> found = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            found.put(names.get(i), arrays.get(i));
        }
        if (arrays.size() > names.size()) {
            notes.add((arrays.size() - names.size()) + " arrays after the model's own (a repeat of them) skipped");
        }
        return found;
    }

    /**
     * Our model's hyperparameters from the file's: SAC's {@code ent_coef} as the text our config takes, and the
     * reference's {@code action_noise} object (never run: its recorded state is read) as {@code noise_type} and
     * {@code noise_std} when it is a normal or Ornstein-Uhlenbeck noise of one standard deviation for all actions.
     */
    static Map<String, Object> hyperparameters(String algo, Sb2File file, Map<String, Object> fromFile, List<String> notes) {
        Map<String, Object> out = new LinkedHashMap<>(fromFile);
        if (algo.equals("sac") && out.get("ent_coef") != null) {
            out.put("ent_coef", out.get("ent_coef").toString());
        }
        // DDPG's param_noise is an AdaptiveParamNoiseSpec object or None: ours is a switch for the reference's default spec.
        if (out.containsKey("param_noise")) {
            Object spec = out.remove("param_noise");
            if (spec instanceof PyObject noise) {
                out.put("param_noise", true);
                Object initial = noise.attribute("initial_stddev");
                Object desired = noise.attribute("desired_action_stddev");
                if (!(initial instanceof Number i && i.doubleValue() == 0.1 && desired instanceof Number d && d.doubleValue() == 0.1)) {
                    notes.add("param_noise kept with the reference's default spec (initial and desired stddev 0.1); the file's: initial "
                            + initial + ", desired " + desired);
                }
            }
        }
        if (file.get("action_noise") instanceof PyObject noise && noise.attribute("_sigma") instanceof NdArray sigma) {
            String type = switch (noise.type().name()) {
                case "NormalActionNoise" -> "normal";
                case "OrnsteinUhlenbeckActionNoise" -> "ornstein-uhlenbeck";
                default -> null;
            };
            double[] std = sigma.toDoubleArray();
            if (type != null && std.length > 0 && Arrays.stream(std).allMatch(v -> v == std[0])) {
                out.put("noise_type", type);
                out.put("noise_std", std[0]);
                notes.removeIf(note -> note.startsWith("action_noise was saved as"));
                notes.add("action_noise " + noise.type().name() + " kept as noise_type " + type + ", noise_std " + std[0]);
            }
        }
        return out;
    }
}
