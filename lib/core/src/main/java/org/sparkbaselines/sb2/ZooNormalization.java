package org.sparkbaselines.sb2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.pickle.Pickle;
import org.sparkbaselines.io.pickle.PyObject;
import org.sparkbaselines.vec.RunningMeanStd;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvWrapper;
import org.sparkbaselines.vec.VecNormalize;

/**
 * The RL zoo's observation normalization for a saved agent {@code ALGO/ENV.pkl} (or {@code .zip}): when
 * {@code ALGO/ENV/config.yml} exists its {@code normalize} key decides (absent: no); otherwise the agent is
 * normalized exactly when statistics lie beside it. The statistics are {@code obs_rms.pkl} (and
 * {@code ret_rms.pkl}) of SB2's {@code RunningMeanStd}, or a pickled {@code VecNormalize}
 * ({@code vecnormalize.pkl}, the zoo's later layout), all read with {@link Pickle}.
 *
 * @param obsRms the observation statistics
 * @param retRms the return statistics, or null when the folder has none
 * @param normReward whether rewards were normalized in training
 * @param clipObs the observation clip (10)
 * @param epsilon added to the variance (1e-8)
 * @param source where the statistics came from, for notes
 */
public record ZooNormalization(RunningMeanStd obsRms, RunningMeanStd retRms, boolean normReward, double clipObs, double epsilon,
        String source) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Pickled statistics are a few hundred bytes per observation value; this is far above any classic env's. */
    private static final long MAX_STATISTICS_BYTES = 16L << 20;
    /** The zoo's config.yml is a few hundred bytes; reading it whole is fine up to this size, and refused above it. */
    private static final long MAX_CONFIG_BYTES = 1L << 20;
    /** One {@code 'key': value} entry of the Python dict literal the zoo writes for {@code normalize}. */
    private static final Pattern PYTHON_ENTRY = Pattern.compile("\\s*'(\\w+)'\\s*:\\s*([^,]+?)\\s*");
    private static final Pattern PYTHON_NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    /** SB2 VecNormalize's keyword arguments: booleans, then numbers. */
    private static final java.util.Set<String> BOOLEAN_KWARGS = java.util.Set.of("training", "norm_obs", "norm_reward");
    private static final java.util.Set<String> NUMBER_KWARGS = java.util.Set.of("clip_obs", "clip_reward", "gamma", "epsilon");

    /**
     * The normalization of the agent in {@code modelFile}, or null when it was trained without.
     *
     * @param observationValues the observation size the statistics must have
     * @throws MalformedFileException when the folder says the agent is normalized but its statistics are
     *     missing or malformed
     */
    public static ZooNormalization find(Path modelFile, int observationValues) throws IOException {
        String name = modelFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path folder = modelFile.resolveSibling(dot > 0 ? name.substring(0, dot) : name);
        Path config = folder.resolve("config.yml");
        Path obsRms = folder.resolve("obs_rms.pkl");
        Path vecNormalize = folder.resolve("vecnormalize.pkl");
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (Files.isRegularFile(config)) {
            if (!normalizeKey(config, kwargs)) {
                return null;
            }
        } else if (!Files.isRegularFile(obsRms) && !Files.isRegularFile(vecNormalize)) {
            return null;
        }
        boolean normObs = !Boolean.FALSE.equals(kwargs.get("norm_obs"));
        boolean normReward = !Boolean.FALSE.equals(kwargs.get("norm_reward"));
        double clipObs = kwargs.get("clip_obs") instanceof Double d ? d : 10.0;
        double epsilon = kwargs.get("epsilon") instanceof Double d ? d : 1e-8;
        if (!normObs) {
            return null;
        }
        if (Files.isRegularFile(vecNormalize)) {
            return fromVecNormalize(vecNormalize, observationValues, normReward);
        }
        requireSettings(config, clipObs, epsilon);
        if (!Files.isRegularFile(obsRms)) {
            throw new MalformedFileException(config + " says the agent was trained with normalized observations, but " + folder
                    + " has neither obs_rms.pkl nor vecnormalize.pkl");
        }
        Path retRms = folder.resolve("ret_rms.pkl");
        return new ZooNormalization(runningMeanStd(obsRms, Pickle.load(obsRms, MAX_STATISTICS_BYTES), observationValues),
                Files.isRegularFile(retRms) ? runningMeanStd(retRms, Pickle.load(retRms, MAX_STATISTICS_BYTES), 1) : null,
                normReward, clipObs, epsilon, obsRms.toString());
    }

    /** Wraps {@code venv} in a VecNormalize holding these statistics ({@code training} as given, gamma of the agent). */
    public VecNormalize wrap(VecEnv venv, boolean training, double gamma) {
        VecNormalize normalize = new VecNormalize(venv, training, true, normReward && retRms != null, clipObs, 10.0, gamma, epsilon);
        normalize.obsRms().copyFrom(obsRms);
        if (retRms != null) {
            normalize.retRms().copyFrom(retRms);
        }
        return normalize;
    }

    /**
     * {@code venv} with these statistics, as our model loader restores saved ones: copied into the
     * VecNormalize {@code venv} already has (its settings kept), so that observations are not normalized
     * twice; otherwise {@code venv} {@linkplain #wrap wrapped}.
     *
     * @return {@code venv} itself when it had a VecNormalize, else the new wrapper
     */
    public VecEnv applyTo(VecEnv venv, boolean training, double gamma) {
        VecNormalize existing = VecEnvWrapper.find(venv, VecNormalize.class);
        if (existing == null) {
            return wrap(venv, training, gamma);
        }
        existing.obsRms().copyFrom(obsRms);
        if (retRms != null) {
            existing.retRms().copyFrom(retRms);
        }
        return venv;
    }

    /** Refuses settings VecNormalize would refuse, naming the file they came from rather than VecNormalize's parameters. */
    private static void requireSettings(Path source, double clipObs, double epsilon) throws MalformedFileException {
        if (!(clipObs > 0) || !(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new MalformedFileException(source + ": observation normalization needs clip_obs > 0 and a finite epsilon > 0;"
                    + " got clip_obs=" + clipObs + ", epsilon=" + epsilon);
        }
    }

    /**
     * Reads {@code normalize} from the zoo's {@code config.yml} (an OrderedDict the zoo dumps as a
     * {@code !!python/object/apply} list of pairs, or a plain mapping): true, false, or a Python dict literal
     * of VecNormalize kwargs, whose known entries go into {@code kwargs}.
     */
    private static boolean normalizeKey(Path config, Map<String, Object> kwargs) throws IOException {
        JsonNode root;
        if (Files.size(config) > MAX_CONFIG_BYTES) {
            throw new MalformedFileException(config + " is larger than the limit of " + MAX_CONFIG_BYTES + " bytes for a zoo config");
        }
        try {
            root = YAML.readTree(Files.readAllBytes(config));
        } catch (IOException e) {
            throw new MalformedFileException(config + " is not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        JsonNode normalize = configValue(root, "normalize");
        if (normalize == null || normalize.isNull()) {
            return false;
        }
        if (normalize.isBoolean()) {
            return normalize.asBoolean();
        }
        if (normalize.isTextual()) {
            String text = normalize.asText().strip();
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            pythonKwargs(config, text, kwargs);
            return true;
        }
        throw new MalformedFileException(config + ": normalize is " + normalize + ", not true, false or a dict of VecNormalize kwargs");
    }

    /**
     * The entries of the zoo's {@code normalize: "{'norm_obs': True, 'clip_obs': 5.0}"}: a Python dict literal
     * of VecNormalize keyword arguments, each a known name with a True/False or a number. Anything else is
     * refused rather than skipped: a misspelled value would otherwise silently leave the default.
     */
    private static void pythonKwargs(Path config, String text, Map<String, Object> kwargs) throws MalformedFileException {
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new MalformedFileException(config + ": normalize is '" + shortened(text) + "', not true, false or a dict of VecNormalize"
                    + " kwargs such as \"{'norm_obs': True, 'norm_reward': False}\"");
        }
        String body = text.substring(1, text.length() - 1);
        if (body.isBlank()) {
            return;
        }
        for (String entry : body.split(",", -1)) {
            Matcher matcher = PYTHON_ENTRY.matcher(entry);
            String key = matcher.matches() ? matcher.group(1) : null;
            String value = key == null ? null : matcher.group(2);
            if (key != null && BOOLEAN_KWARGS.contains(key) && (value.equals("True") || value.equals("False"))) {
                kwargs.put(key, value.equals("True"));
            } else if (key != null && NUMBER_KWARGS.contains(key) && PYTHON_NUMBER.matcher(value).matches()) {
                kwargs.put(key, Double.parseDouble(value));
            } else {
                throw new MalformedFileException(config + ": normalize entry '" + shortened(entry.strip()) + "' is not a VecNormalize"
                        + " keyword argument ('norm_obs' or 'norm_reward': True/False; 'clip_obs', 'clip_reward', 'gamma' or 'epsilon':"
                        + " a number)");
            }
        }
    }

    private static String shortened(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** The value of {@code key} in the zoo's config: a mapping, or a list of [key, value] pairs (possibly wrapped in a list). */
    private static JsonNode configValue(JsonNode root, String key) {
        if (root == null) {
            return null;
        }
        if (root.isObject()) {
            return root.get(key);
        }
        JsonNode pairs = root.isArray() && root.size() == 1 && root.get(0).isArray() ? root.get(0) : root;
        for (JsonNode pair : pairs) {
            if (pair.isArray() && pair.size() == 2 && key.equals(pair.get(0).asText())) {
                return pair.get(1);
            }
        }
        return null;
    }

    private static ZooNormalization fromVecNormalize(Path file, int observationValues, boolean normRewardFromConfig) throws IOException {
        Object loaded = Pickle.load(file, MAX_STATISTICS_BYTES);
        if (!(loaded instanceof PyObject vecNormalize) || vecNormalize.attribute("obs_rms") == null) {
            throw new MalformedFileException(file + " is not a pickled VecNormalize (no obs_rms)");
        }
        if (Boolean.FALSE.equals(vecNormalize.attribute("norm_obs"))) {
            return null; // trained with rewards normalized only: observations reach the policy as they are
        }
        Object retRms = vecNormalize.attribute("ret_rms");
        boolean normReward = vecNormalize.attribute("norm_reward") instanceof Boolean b ? b : normRewardFromConfig;
        double clipObs = number(vecNormalize.attribute("clip_obs"), 10.0);
        double epsilon = number(vecNormalize.attribute("epsilon"), 1e-8);
        requireSettings(file, clipObs, epsilon);
        return new ZooNormalization(runningMeanStd(file, vecNormalize.attribute("obs_rms"), observationValues),
                retRms == null ? null : runningMeanStd(file, retRms, 1), normReward, clipObs, epsilon, file.toString());
    }

    /** SB2's RunningMeanStd (mean, var: float64 arrays or scalars; count) as ours, its size checked. */
    private static RunningMeanStd runningMeanStd(Path file, Object value, int size) throws MalformedFileException {
        if (!(value instanceof PyObject rms)) {
            throw new MalformedFileException(file + " does not hold a RunningMeanStd but " + Sb2File.describe(value));
        }
        double[] mean = values(file, rms.attribute("mean"), "mean", size);
        double[] var = values(file, rms.attribute("var"), "var", size);
        if (!(rms.attribute("count") instanceof Number count) || !(count.doubleValue() > 0)) {
            throw new MalformedFileException(file + ": the RunningMeanStd count is missing or not positive");
        }
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(mean[i]) || !Double.isFinite(var[i]) || var[i] < 0) {
                throw new MalformedFileException(file + ": the RunningMeanStd holds a non-finite mean or a negative or non-finite variance");
            }
        }
        return new RunningMeanStd(mean, var, count.doubleValue());
    }

    private static double[] values(Path file, Object value, String what, int size) throws MalformedFileException {
        double[] values;
        if (value instanceof NdArray array) {
            values = array.toDoubleArray();
        } else if (value instanceof Number number) {
            values = new double[] {number.doubleValue()};
        } else {
            throw new MalformedFileException(file + ": the RunningMeanStd has no numeric " + what);
        }
        if (values.length != size) {
            throw new MalformedFileException(file + ": the RunningMeanStd " + what + " has " + values.length + " values; the env's"
                    + " observations have " + size + " (are the statistics for this env?)");
        }
        return values;
    }

    private static double number(Object value, double otherwise) {
        return value instanceof Number n ? n.doubleValue() : otherwise;
    }
}
