package org.sparkbaselines.vec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where NaN (and, with {@code checkInf}, infinity) enters training, the reference's
 * {@code VecCheckNan(venv, raise_exception=False, warn_once=True, check_inf=True)}: actions are
 * checked on their way in (a bad value came from the model, reported with the last observation),
 * observations and rewards on their way out (it came from the env, reported with the last action).
 * By default it logs a warning once; with {@code raiseException} it throws
 * {@link IllegalArgumentException}.
 */
public final class VecCheckNan extends VecEnvWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(VecCheckNan.class);

    private final boolean raiseException;
    private final boolean warnOnce;
    private final boolean checkInf;
    private boolean warned;
    private float[][] lastActions;
    private float[][] lastObs;

    /** With the reference's defaults: warn once, check infinity too. */
    public VecCheckNan(VecEnv venv) {
        this(venv, false, true, true);
    }

    public VecCheckNan(VecEnv venv, boolean raiseException, boolean warnOnce, boolean checkInf) {
        super(venv);
        this.raiseException = raiseException;
        this.warnOnce = warnOnce;
        this.checkInf = checkInf;
    }

    @Override
    public float[][] reset() {
        float[][] obs = venv.reset();
        lastActions = null;
        check(false, "observation", obs, null);
        lastObs = obs;
        return obs;
    }

    @Override
    public void stepAsync(float[][] actions) {
        check(true, "action", actions, null);
        lastActions = actions;
        venv.stepAsync(actions);
    }

    @Override
    public VecStepResult stepWait() {
        VecStepResult r = venv.stepWait();
        check(false, "observation", r.obs(), r.rewards());
        lastObs = r.obs();
        return r;
    }

    private void check(boolean fromModel, String name, float[][] rows, double[] rewards) {
        List<String> found = new ArrayList<>(2);
        scan(rows, name, found);
        if (rewards != null) {
            for (double r : rewards) {
                if (Double.isNaN(r) || (checkInf && Double.isInfinite(r))) {
                    found.add((Double.isNaN(r) ? "NaN" : "inf") + " in rewards");
                    break;
                }
            }
        }
        if (found.isEmpty() || (warnOnce && warned && !raiseException)) {
            return;
        }
        StringBuilder msg = new StringBuilder("found ").append(String.join(", found ", found)).append(". Originated from the ");
        if (fromModel) {
            msg.append("RL model, last given value was: observations=").append(Arrays.deepToString(lastObs));
        } else if (lastActions == null) {
            msg.append("environment observation (at reset)");
        } else {
            msg.append("environment, last given value was: action=").append(Arrays.deepToString(lastActions));
        }
        if (raiseException) {
            throw new IllegalArgumentException(msg.toString());
        }
        warned = true;
        LOG.warn(msg.toString());
    }

    private void scan(float[][] rows, String name, List<String> found) {
        boolean nan = false;
        boolean inf = false;
        for (float[] row : rows) {
            for (float v : row) {
                nan |= Float.isNaN(v);
                inf |= Float.isInfinite(v);
            }
        }
        if (nan) {
            found.add("NaN in " + name);
        }
        if (checkInf && inf) {
            found.add("inf in " + name);
        }
    }
}
