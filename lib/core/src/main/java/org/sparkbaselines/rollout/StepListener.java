package org.sparkbaselines.rollout;

import org.sparkbaselines.vec.VecStepResult;

/** Told about every vectorized step of a rollout (callbacks, episode statistics); false stops training. */
@FunctionalInterface
public interface StepListener {
    boolean afterStep(VecStepResult step);
}
