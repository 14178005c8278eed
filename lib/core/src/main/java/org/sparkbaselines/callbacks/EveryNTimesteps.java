package org.sparkbaselines.callbacks;

/**
 * Triggers a child callback every {@code nSteps} timesteps, the reference's
 * {@code EveryNTimesteps(n_steps, callback)}: it fires at the first step where at least {@code nSteps}
 * timesteps have passed since the last trigger (or since timestep 0), so with several envs the
 * triggers land on the first timestep count past each interval.
 */
public final class EveryNTimesteps extends EventCallback {
    private final long nSteps;
    private long lastTimeTrigger;

    /**
     * @param nSteps timesteps between two triggers
     * @param callback the callback to trigger
     */
    public EveryNTimesteps(long nSteps, BaseCallback callback) {
        super(callback, 0);
        if (nSteps < 1) {
            throw new IllegalArgumentException("nSteps must be at least 1, got " + nSteps);
        }
        this.nSteps = nSteps;
    }

    @Override
    protected boolean atStep() {
        if (numTimesteps - lastTimeTrigger >= nSteps) {
            lastTimeTrigger = numTimesteps;
            return onEvent();
        }
        return true;
    }
}
