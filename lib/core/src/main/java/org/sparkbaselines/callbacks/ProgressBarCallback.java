package org.sparkbaselines.callbacks;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows a terminal progress bar over the timesteps of a {@code learn} call, with the rate and the time
 * left, SB3's {@code ProgressBarCallback()} (drawn by the {@code me.tongfei:progressbar} library). The
 * total is the training locals' {@code total_timesteps} minus the timestep count when training
 * starts; the bar advances by the timesteps of each step and is closed when training ends.
 */
public final class ProgressBarCallback extends BaseCallback {
    private final PrintStream out;
    private ProgressBar bar;
    private long startTimesteps;

    /** A bar on standard error (redrawn in place on a terminal). */
    public ProgressBarCallback() {
        this(null);
    }

    /** @param out where to draw the bar, or null for standard error */
    public ProgressBarCallback(PrintStream out) {
        this.out = out;
    }

    @Override
    protected void atTrainingStart() {
        if (!(locals.get("total_timesteps") instanceof Number totalTimesteps)) {
            throw new IllegalStateException("ProgressBarCallback needs the training locals' total_timesteps, which "
                    + model.algorithmName() + " does not set");
        }
        startTimesteps = numTimesteps;
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName("Training")
                .setInitialMax(totalTimesteps.longValue() - startTimesteps)
                .showSpeed();
        if (out != null) {
            builder.setConsumer(new ConsoleProgressBarConsumer(out));
        }
        bar = builder.build();
    }

    @Override
    protected boolean atStep() {
        bar.stepTo(numTimesteps - startTimesteps);
        return true;
    }

    @Override
    protected void atTrainingEnd() {
        bar.close();
        bar = null;
    }
}
