package org.sparkbaselines.vec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.spaces.Box;

/**
 * Normalizes observations and rewards with running statistics, the reference's
 * {@code VecNormalize(venv, training=True, norm_obs=True, norm_reward=True, clip_obs=10.0,
 * clip_reward=10.0, gamma=0.99, epsilon=1e-08)}:
 * <ul>
 *   <li>observation: {@code clip((obs - mean) / sqrt(var + epsilon), -clipObs, clipObs)};</li>
 *   <li>reward: {@code clip(r / sqrt(retVar + epsilon), -clipReward, clipReward)}, where the statistics are
 *       those of the discounted return {@code ret = ret * gamma + r}, reset at episode ends.</li>
 * </ul>
 * Statistics update only while {@link #isTraining()}; at test time set training and reward
 * normalization off. The {@code terminal_observation} in infos is normalized too (without updating
 * statistics), so bootstrapping sees what the policy sees. Statistics save to a small JSON file.
 */
public final class VecNormalize extends VecEnvWrapper {
    private static final String FORMAT = "sparkbaselines.vecnormalize/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunningMeanStd obsRms;
    private RunningMeanStd retRms;
    private final double clipObs;
    private final double clipReward;
    private final double gamma;
    private final double epsilon;
    private boolean training;
    private boolean normObs;
    private boolean normReward;

    private final double[] ret;
    private final double[] singleReturn = new double[1];
    private final float[][] originalObs;
    private final double[] originalRewards;
    private final float[][] resetObs;
    private final VecStepResult result;

    /** With the reference's defaults. */
    public VecNormalize(VecEnv venv) {
        this(venv, true, true, true, 10.0, 10.0, 0.99, 1e-8);
    }

    public VecNormalize(VecEnv venv, boolean training, boolean normObs, boolean normReward, double clipObs,
            double clipReward, double gamma, double epsilon) {
        super(venv);
        if (normObs && !(venv.observationSpace() instanceof Box)) {
            throw new IllegalArgumentException("VecNormalize normalizes Box observations only, got " + venv.observationSpace()
                    + "; pass normObs=false");
        }
        if (clipObs <= 0 || clipReward <= 0 || epsilon <= 0 || gamma < 0 || gamma > 1) {
            throw new IllegalArgumentException("VecNormalize needs clipObs, clipReward, epsilon > 0 and gamma in [0, 1]; got clipObs="
                    + clipObs + ", clipReward=" + clipReward + ", epsilon=" + epsilon + ", gamma=" + gamma);
        }
        int n = venv.numEnvs();
        int d = venv.observationSpace().flatDim();
        this.training = training;
        this.normObs = normObs;
        this.normReward = normReward;
        this.clipObs = clipObs;
        this.clipReward = clipReward;
        this.gamma = gamma;
        this.epsilon = epsilon;
        obsRms = new RunningMeanStd(d);
        retRms = new RunningMeanStd(1);
        ret = new double[n];
        originalObs = new float[n][d];
        originalRewards = new double[n];
        resetObs = new float[n][d];
        result = new VecStepResult(n, d);
    }

    /**
     * Builds from keyword arguments as configs give them ({@code training}, {@code norm_obs}, {@code norm_reward},
     * {@code clip_obs}, {@code clip_reward}, {@code gamma}, {@code epsilon}; others are errors), defaults as above.
     */
    public static VecNormalize fromKwargs(VecEnv venv, java.util.Map<String, ?> kwargs) {
        org.sparkbaselines.env.Kwargs k = org.sparkbaselines.env.Kwargs.of("VecNormalize", kwargs,
                java.util.Set.of("training", "norm_obs", "norm_reward", "clip_obs", "clip_reward", "gamma", "epsilon"));
        return new VecNormalize(venv, k.getBoolean("training", true), k.getBoolean("norm_obs", true), k.getBoolean("norm_reward", true),
                k.getDouble("clip_obs", 10.0), k.getDouble("clip_reward", 10.0), k.getDouble("gamma", 0.99), k.getDouble("epsilon", 1e-8));
    }

    @Override
    public float[][] reset() {
        float[][] obs = venv.reset();
        copyRows(obs, originalObs);
        java.util.Arrays.fill(ret, 0.0);
        if (training && normObs) {
            obsRms.update(obs);
        }
        for (int i = 0; i < obs.length; i++) {
            normalizeObs(obs[i], resetObs[i]);
        }
        return resetObs;
    }

    @Override
    public VecStepResult stepWait() {
        VecStepResult inner = venv.stepWait();
        float[][] obs = inner.obs();
        double[] rewards = inner.rewards();
        copyRows(obs, originalObs);
        System.arraycopy(rewards, 0, originalRewards, 0, rewards.length);
        result.copyOutcomes(inner);
        if (training && normObs) {
            obsRms.update(obs);
        }
        for (int i = 0; i < obs.length; i++) {
            normalizeObs(obs[i], result.obs()[i]);
        }
        for (int i = 0; i < rewards.length; i++) {
            ret[i] = ret[i] * gamma + rewards[i];
        }
        if (training) {
            retRms.update(ret);
        }
        double[] out = result.rewards();
        boolean[] dones = inner.dones();
        for (int i = 0; i < rewards.length; i++) {
            out[i] = normalizeReward(rewards[i]);
            if (dones[i]) {
                ret[i] = 0;
                Object terminal = result.infos()[i].get(Infos.TERMINAL_OBSERVATION);
                if (terminal instanceof float[] t) {
                    float[] normalized = new float[t.length];
                    normalizeObs(t, normalized);
                    result.infos()[i].put(Infos.TERMINAL_OBSERVATION, normalized);
                }
            }
        }
        return result;
    }

    /** Normalizes one observation with the current statistics (no update) into {@code out}. */
    public void normalizeObs(float[] obs, float[] out) {
        if (!normObs) {
            System.arraycopy(obs, 0, out, 0, obs.length);
            return;
        }
        double[] mean = obsRms.mean();
        double[] var = obsRms.var();
        for (int j = 0; j < obs.length; j++) {
            double z = (obs[j] - mean[j]) / Math.sqrt(var[j] + epsilon);
            out[j] = (float) Math.max(-clipObs, Math.min(clipObs, z));
        }
    }

    /** Normalizes one observation into a new array. */
    public float[] normalizeObs(float[] obs) {
        float[] out = new float[obs.length];
        normalizeObs(obs, out);
        return out;
    }

    /** Inverts {@link #normalizeObs} (exact for values that were not clipped). */
    public float[] unnormalizeObs(float[] normalized) {
        float[] out = normalized.clone();
        if (normObs) {
            double[] mean = obsRms.mean();
            double[] var = obsRms.var();
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) (normalized[j] * Math.sqrt(var[j] + epsilon) + mean[j]);
            }
        }
        return out;
    }

    /** Normalizes one reward with the current return statistics (no update). */
    public double normalizeReward(double reward) {
        if (!normReward) {
            return reward;
        }
        double r = reward / Math.sqrt(retRms.var()[0] + epsilon);
        return Math.max(-clipReward, Math.min(clipReward, r));
    }

    /** Inverts {@link #normalizeReward} (exact for values that were not clipped). */
    public double unnormalizeReward(double normalized) {
        return normReward ? normalized * Math.sqrt(retRms.var()[0] + epsilon) : normalized;
    }

    /** The observations of the last reset or step before normalization. */
    public float[][] getOriginalObs() {
        return originalObs;
    }

    /** The rewards of the last step before normalization. */
    public double[] getOriginalReward() {
        return originalRewards;
    }

    public boolean isTraining() {
        return training;
    }

    /** Whether statistics update; turn off for evaluation. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isNormObs() {
        return normObs;
    }

    public boolean isNormReward() {
        return normReward;
    }

    /** Turn reward normalization off to see raw rewards at test time. */
    public void setNormReward(boolean normReward) {
        this.normReward = normReward;
    }

    public double clipObs() {
        return clipObs;
    }

    public double clipReward() {
        return clipReward;
    }

    public double gamma() {
        return gamma;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Observation statistics (live, not a copy). */
    public RunningMeanStd obsRms() {
        return obsRms;
    }

    /** Discounted-return statistics (live, not a copy). */
    public RunningMeanStd retRms() {
        return retRms;
    }

    /** Wraps another vec env with these statistics (the reference's {@code set_venv}); returns the new wrapper. */
    public VecNormalize withVenv(VecEnv other) {
        VecNormalize copy = new VecNormalize(other, training, normObs, normReward, clipObs, clipReward, gamma, epsilon);
        copy.obsRms.copyFrom(obsRms);
        copy.retRms.copyFrom(retRms);
        return copy;
    }

    /** Copies the statistics of {@code from} into {@code to} (the reference's {@code sync_envs_normalization}). */
    public static void syncNormalization(VecNormalize from, VecNormalize to) {
        to.obsRms.copyFrom(from.obsRms);
        to.retRms.copyFrom(from.retRms);
    }

    /** Statistics and settings as JSON (what model files embed). */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("obs_rms", rmsJson(obsRms));
        root.set("ret_rms", rmsJson(retRms));
        root.put("clip_obs", clipObs);
        root.put("clip_reward", clipReward);
        root.put("gamma", gamma);
        root.put("epsilon", epsilon);
        root.put("norm_obs", normObs);
        root.put("norm_reward", normReward);
        root.put("training", training);
        return root;
    }

    /** Rebuilds a VecNormalize around {@code venv} from {@link #toJson()} output; mismatched or missing fields are named. */
    public static VecNormalize fromJson(JsonNode root, VecEnv venv) {
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not VecNormalize statistics: expected format '" + FORMAT + "', got "
                    + (root == null ? "nothing" : "'" + root.path("format").asText() + "'"));
        }
        VecNormalize vn = new VecNormalize(venv, bool(root, "training"), bool(root, "norm_obs"), bool(root, "norm_reward"),
                number(root, "clip_obs"), number(root, "clip_reward"), number(root, "gamma"), number(root, "epsilon"));
        RunningMeanStd obs = rms(root, "obs_rms");
        if (obs.dim() != vn.obsRms.dim()) {
            throw new IllegalArgumentException("VecNormalize statistics are for observations of dimension " + obs.dim()
                    + " but the env's observation space " + venv.observationSpace() + " has " + vn.obsRms.dim());
        }
        vn.obsRms = obs;
        vn.retRms = rms(root, "ret_rms");
        if (vn.retRms.dim() != 1) {
            throw new IllegalArgumentException("VecNormalize ret_rms must have dimension 1, got " + vn.retRms.dim());
        }
        return vn;
    }

    /** Writes the statistics to {@code path} atomically (a reader never sees half a file). */
    public void save(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".vecnormalize", ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), toJson());
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads statistics saved by {@link #save} and wraps {@code venv} with them. */
    public static VecNormalize load(Path path, VecEnv venv) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no VecNormalize statistics file at " + path);
        }
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("VecNormalize statistics file " + path + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(root, venv);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode rmsJson(RunningMeanStd rms) {
        ObjectNode node = JSON.createObjectNode();
        node.set("mean", JSON.valueToTree(rms.mean()));
        node.set("var", JSON.valueToTree(rms.var()));
        node.put("count", rms.count());
        return node;
    }

    private static RunningMeanStd rms(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.path("mean").isArray() || !node.path("var").isArray()) {
            throw new IllegalArgumentException("VecNormalize statistics lack '" + key + "' with mean and var arrays");
        }
        double[] mean = doubles(node.get("mean"), key + ".mean");
        double[] var = doubles(node.get("var"), key + ".var");
        double count = number(node, "count");
        for (double v : var) {
            if (v < 0) {
                throw new IllegalArgumentException("VecNormalize " + key + ".var has a negative entry " + v);
            }
        }
        return new RunningMeanStd(mean, var, count);
    }

    private static double[] doubles(JsonNode array, String what) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new IllegalArgumentException("VecNormalize " + what + "[" + i + "] is not a finite number: " + v);
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("VecNormalize statistics lack the number '" + key + "'");
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("VecNormalize statistics lack the flag '" + key + "'");
        }
        return v.asBoolean();
    }

    private static void copyRows(float[][] from, float[][] to) {
        for (int i = 0; i < from.length; i++) {
            System.arraycopy(from[i], 0, to[i], 0, from[i].length);
        }
    }
}
