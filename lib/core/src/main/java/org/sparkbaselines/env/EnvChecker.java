package org.sparkbaselines.env;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Space;

/**
 * Checks that an env follows the {@link Env} contract and suits the library's algorithms: the port of
 * SB 2.10's {@code check_env(env, warn=True, skip_render_check=True)}.
 *
 * <p>Errors throw {@link EnvCheckException} with a message naming the problem: a null observation or
 * action space; a null observation, one of the wrong length, containing NaN/inf or outside the
 * observation space (from {@code reset()} or any {@code step()}); a null step result; a NaN/inf
 * reward; an env method throwing; for a {@link GoalEnv}, a missing Dict key, a step reward that differs
 * from {@code computeReward(achieved_goal, desired_goal, info)}, or a batched {@code computeReward} that
 * differs from the single form; {@code render()} returning null while {@code "rgb_array"} is declared.
 * After one checked step, {@value #NAN_CHECK_STEPS} random-action steps are checked the same way (the
 * reference's NaN/inf check), resetting whenever an episode ends.
 *
 * <p>Warnings, returned and logged only when {@code warn} is true: Dict observations on an env that is
 * not a GoalEnv; a 3-D (image) Box observation whose dtype is not uint8, bounds not [0, 255] or
 * resolution below 36x36; a Box observation neither 1-D nor 3-D; a Box action space that is not
 * symmetric or exceeds [-1, 1]; two resets with the same seed that give different episodes; no render
 * modes (when the render check runs).
 *
 * <p>The env is left at the start of a fresh episode, ready for {@code step}: the check ends with
 * {@code reset(null)}. Its generator has been reseeded with {@value #CHECK_SEED} by the check, so seed
 * it again if you need your own stream.
 */
public final class EnvChecker {
    /** The seed of the two resets compared for determinism. */
    public static final long CHECK_SEED = 0L;
    /** Random-action steps checked for NaN/inf, as the reference. */
    public static final int NAN_CHECK_STEPS = 10;
    /** Smallest image side the default CNN policy handles. */
    public static final int MIN_IMAGE_SIDE = 36;
    private static final int PREVIEW_VALUES = 8;
    private static final Logger LOG = LoggerFactory.getLogger(EnvChecker.class);

    private final Env env;
    private final String name;
    private final List<String> warnings = new ArrayList<>();
    private Space observationSpace;
    private Space actionSpace;
    private GoalEnv goalEnv;

    private EnvChecker(Env env) {
        this.env = env;
        this.name = env.specId() != null ? env.specId() : env.getClass().getSimpleName();
    }

    /** {@code check(env, warn, true)}: skips the render check. */
    public static List<String> check(Env env, boolean warn) {
        return check(env, warn, true);
    }

    /**
     * Checks {@code env}; throws {@link EnvCheckException} on the first error.
     *
     * @param warn whether to return and log the warnings (otherwise the result is empty)
     * @param skipRenderCheck whether to skip the render check
     * @return the warnings, empty when {@code warn} is false
     */
    public static List<String> check(Env env, boolean warn, boolean skipRenderCheck) {
        if (env == null) {
            throw new EnvCheckException("env is null");
        }
        List<String> warnings = new EnvChecker(env).run(skipRenderCheck);
        if (!warn) {
            return List.of();
        }
        warnings.forEach(LOG::warn);
        return warnings;
    }

    private List<String> run(boolean skipRenderCheck) {
        checkSpaces();
        warnAboutSpaces();
        checkFirstEpisode();
        if (!skipRenderCheck) {
            checkRender();
        }
        checkRandomSteps();
        reset(null);
        return Collections.unmodifiableList(warnings);
    }

    private void checkSpaces() {
        observationSpace = call("observationSpace()", env::observationSpace);
        actionSpace = call("actionSpace()", env::actionSpace);
        if (observationSpace == null) {
            throw error("observationSpace() returned null: an env must declare its observation space");
        }
        if (actionSpace == null) {
            throw error("actionSpace() returned null: an env must declare its action space");
        }
        goalEnv = goalEnvBehind();
        if (goalEnv != null) {
            DictSpace dict = goalEnv.observationSpace();
            for (String key : List.of(GoalEnv.OBSERVATION, GoalEnv.ACHIEVED_GOAL, GoalEnv.DESIRED_GOAL)) {
                if (!dict.spaces().containsKey(key)) {
                    throw error("GoalEnv observation space " + dict + " has no key '" + key + "'");
                }
            }
        }
    }

    /** The env itself if a GoalEnv, else its unwrapped env when that is a GoalEnv whose Dict space the wrappers kept. */
    private GoalEnv goalEnvBehind() {
        if (env instanceof GoalEnv goal) {
            return goal;
        }
        return env.unwrapped() instanceof GoalEnv goal && observationSpace.equals(goal.observationSpace()) ? goal : null;
    }

    private void warnAboutSpaces() {
        if (observationSpace instanceof DictSpace && goalEnv == null) {
            warn("the observation space is a Dict but the env is not a GoalEnv: only HER (through GoalEnv) supports "
                    + "Dict observations; wrap the env in FlattenDictObservation or use a custom policy");
        }
        if (observationSpace instanceof Box box) {
            int rank = box.shape().length;
            if (rank == 3) {
                warnAboutImage(box);
            } else if (rank != 1) {
                warn("the observation space " + box + " has an unconventional shape (neither an image nor a 1-D vector); "
                        + "we recommend flattening it to a 1-D vector");
            }
        }
        if (actionSpace instanceof Box box && !isSymmetricAndNormalized(box)) {
            warn("the action space " + box + " is not symmetric and normalized: we recommend a Box action space in "
                    + "[-1, 1] (cf. the RL tips)");
        }
    }

    private void warnAboutImage(Box box) {
        if (box.dtype() != Box.DType.UINT8) {
            warn("the observation space " + box + " looks like an image but its dtype is "
                    + box.dtype().name().toLowerCase() + ", not uint8; if it is not an image, flatten it to a 1-D vector");
        }
        if (!allEqual(box.low(), 0f) || !allEqual(box.high(), 255f)) {
            warn("the observation space " + box + " looks like an image but its bounds are not [0, 255]; "
                    + "CNN policies divide observations by 255");
        }
        int[] shape = box.shape();
        if (shape[0] < MIN_IMAGE_SIDE || shape[1] < MIN_IMAGE_SIDE) {
            warn("the image resolution " + shape[0] + "x" + shape[1] + " of " + box + " is below the " + MIN_IMAGE_SIDE
                    + "x" + MIN_IMAGE_SIDE + " minimum of the default CnnPolicy; you may need a custom CNN extractor");
        }
    }

    private static boolean isSymmetricAndNormalized(Box box) {
        for (int i = 0; i < box.flatDim(); i++) {
            float low = Math.abs(box.low(i));
            float high = Math.abs(box.high(i));
            if (low != high || low > 1 || high > 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean allEqual(float[] values, float expected) {
        for (float v : values) {
            if (v != expected) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resets with {@link #CHECK_SEED} and takes one random step, checking both; then repeats them with the
     * same seed and action and warns if the episode differs.
     */
    private void checkFirstEpisode() {
        // Drawn before seeding: an env may sample its states from its action space (IdentityEnv does),
        // and the check's own draw must not shift the seeded sequence between the two episodes.
        float[] action = actionSpace.sample();
        float[] firstObs = reset(CHECK_SEED).clone();
        StepResult first = step(action, "step()");
        checkGoalReward(first);
        float[] firstStepObs = first.obs().clone();
        double firstReward = first.reward();

        float[] replayedObs = reset(CHECK_SEED);
        if (!Arrays.equals(firstObs, replayedObs)) {
            warn("reset(" + CHECK_SEED + ") is not deterministic: it observed " + preview(firstObs) + ", then "
                    + preview(replayedObs) + "; derive all randomness from the seed");
            return;
        }
        StepResult replayed = step(action, "step()");
        if (!Arrays.equals(firstStepObs, replayed.obs()) || firstReward != replayed.reward()) {
            warn("the same action after reset(" + CHECK_SEED + ") is not deterministic: it gave observation "
                    + preview(firstStepObs) + " and reward " + firstReward + ", then " + preview(replayed.obs())
                    + " and reward " + replayed.reward() + "; derive all randomness from the seed");
        }
    }

    /** The reference's NaN/inf check, extended to every step check: random actions from a fresh episode. */
    private void checkRandomSteps() {
        reset(null);
        for (int i = 1; i <= NAN_CHECK_STEPS; i++) {
            if (step(actionSpace.sample(), "step() (random step " + i + " of " + NAN_CHECK_STEPS + ")").done()) {
                reset(null);
            }
        }
    }

    private void checkGoalReward(StepResult step) {
        if (goalEnv == null) {
            return;
        }
        DictSpace dict = goalEnv.observationSpace();
        float[] achieved = dict.get(step.obs(), GoalEnv.ACHIEVED_GOAL);
        float[] desired = dict.get(step.obs(), GoalEnv.DESIRED_GOAL);
        Map<String, Object> info = step.info();
        double recomputed = call("computeReward()", () -> goalEnv.computeReward(achieved, desired, info));
        if (recomputed != step.reward()) {
            throw error("GoalEnv step() returned reward " + step.reward()
                    + " but computeReward(achieved_goal, desired_goal, info) gives " + recomputed);
        }
        // One transition as stepped, one with the goal reached: the batched form must agree on both.
        float[][] achievedGoals = {achieved, desired};
        float[][] desiredGoals = {desired, desired};
        double[] batched = call("batched computeReward()",
                () -> goalEnv.computeReward(achievedGoals, desiredGoals, Collections.nCopies(achievedGoals.length, info)));
        if (batched == null || batched.length != achievedGoals.length) {
            throw error("GoalEnv batched computeReward() returned " + (batched == null ? "null" : batched.length + " rewards")
                    + " for " + achievedGoals.length + " transitions");
        }
        for (int i = 0; i < batched.length; i++) {
            int row = i;
            double single = call("computeReward()", () -> goalEnv.computeReward(achievedGoals[row], desiredGoals[row], info));
            if (batched[i] != single) {
                throw error("GoalEnv batched computeReward() gives " + batched[i] + " for transition " + i
                        + " but the single form gives " + single);
            }
        }
    }

    private void checkRender() {
        List<String> modes = call("renderModes()", env::renderModes);
        if (modes == null || modes.isEmpty()) {
            warn("the env declares no render modes (renderModes() is empty): you may have trouble calling render()");
        } else if (modes.contains("rgb_array") && call("render()", env::render) == null) {
            throw error("render() returned null although renderModes() lists rgb_array");
        }
    }

    private float[] reset(Long seed) {
        String what = "reset(" + (seed == null ? "" : seed) + ")";
        float[] obs = call(what, () -> env.reset(seed));
        checkObservation(obs, what);
        return obs;
    }

    private StepResult step(float[] action, String what) {
        StepResult result = call(what, () -> env.step(action));
        if (result == null) {
            throw error(what + " returned null instead of a StepResult");
        }
        checkObservation(result.obs(), what);
        if (!Double.isFinite(result.reward())) {
            throw error(what + " returned reward " + result.reward());
        }
        return result;
    }

    private void checkObservation(float[] obs, String from) {
        int needed = observationSpace.flatDim();
        if (obs == null) {
            throw error(from + " returned a null observation, but " + observationSpace + " needs " + needed + " values");
        }
        if (obs.length != needed) {
            throw error(from + " returned an observation of length " + obs.length + ", but " + observationSpace
                    + " needs " + needed);
        }
        for (float v : obs) {
            if (!Float.isFinite(v)) {
                throw error(from + " returned an observation containing " + (Float.isNaN(v) ? "NaN" : "inf") + ": " + preview(obs));
            }
        }
        if (!observationSpace.contains(obs)) {
            throw error("observation " + preview(obs) + " from " + from + " is not in the observation space " + observationSpace);
        }
    }

    /** Runs an env method, turning what it throws into a check error that names the method. */
    private <T> T call(String what, Supplier<T> method) {
        try {
            return method.get();
        } catch (RuntimeException e) {
            throw new EnvCheckException(name + ": " + what + " threw " + e, e);
        }
    }

    private void warn(String message) {
        warnings.add(name + ": " + message);
    }

    private EnvCheckException error(String message) {
        return new EnvCheckException(name + ": " + message);
    }

    /** The values of a possibly large observation, cut after a few. */
    private static String preview(float[] values) {
        if (values.length <= PREVIEW_VALUES) {
            return Arrays.toString(values);
        }
        String head = Arrays.toString(Arrays.copyOf(values, PREVIEW_VALUES));
        return head.substring(0, head.length() - 1) + ", ... (" + values.length + " values)]";
    }
}
