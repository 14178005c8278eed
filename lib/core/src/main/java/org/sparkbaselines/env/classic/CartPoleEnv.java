package org.sparkbaselines.env.classic;

import java.awt.Color;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/**
 * The cart-pole balancing task, Gymnasium 0.29.1's {@code CartPoleEnv} ({@code CartPole-v1},
 * {@code CartPole-v0}): push a cart left or right to keep the pole on it upright.
 *
 * <ul>
 *   <li>Actions: {@code Discrete(2)}, 0 pushes the cart left and 1 right with a force of 10.</li>
 *   <li>Observations: {@code Box(4)} of cart position, cart velocity, pole angle, pole angular
 *       velocity, bounded by ±4.8, ±{@link Float#MAX_VALUE}, ±0.418879 (24°), ±{@link Float#MAX_VALUE}
 *       as Gymnasium declares them.</li>
 *   <li>Reward 1 per step, termination when |x| &gt; 2.4 or |theta| &gt; 12°. Stepping on after
 *       termination gives reward 0 and logs a warning once, as Gymnasium does.</li>
 *   <li>Reset: all four state variables uniform in [-0.05, 0.05) from the env's generator (the
 *       distribution of the original, not its numbers).</li>
 * </ul>
 *
 * <p>Follows the original exactly: explicit Euler integration in float64, the state kept in
 * float64, only the returned observation rounded to float32. {@link #getState()} is
 * {@code [x, x_dot, theta, theta_dot]}.
 */
public final class CartPoleEnv extends ClassicControlEnv {
    private static final Logger LOG = LoggerFactory.getLogger(CartPoleEnv.class);

    private static final double GRAVITY = 9.8;
    private static final double MASS_CART = 1.0;
    private static final double MASS_POLE = 0.1;
    private static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    /** Half the pole's length. */
    private static final double LENGTH = 0.5;
    private static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    private static final double FORCE_MAG = 10.0;
    /** Seconds between state updates. */
    private static final double TAU = 0.02;
    private static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    private static final double X_THRESHOLD = 2.4;

    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;
    /** Gymnasium's {@code steps_beyond_terminated}: -1 until the first terminal step. */
    private int stepsBeyondTerminated = -1;

    /** A cart-pole with Gymnasium's constants; call {@code reset} before stepping. */
    public CartPoleEnv() {
        super(observationBox(), new Discrete(2), "x", "x_dot", "theta", "theta_dot");
    }

    private static Box observationBox() {
        float[] high = {(float) (X_THRESHOLD * 2), Float.MAX_VALUE, (float) (THETA_THRESHOLD_RADIANS * 2), Float.MAX_VALUE};
        float[] low = new float[high.length];
        for (int i = 0; i < high.length; i++) {
            low[i] = -high[i];
        }
        return new Box(low, high);
    }

    @Override
    protected float[] resetState() {
        x = uniform(-0.05, 0.05);
        xDot = uniform(-0.05, 0.05);
        theta = uniform(-0.05, 0.05);
        thetaDot = uniform(-0.05, 0.05);
        stepsBeyondTerminated = -1;
        return observe();
    }

    @Override
    public StepResult step(float[] action) {
        double force = discreteAction(action) == 1 ? FORCE_MAG : -FORCE_MAG;
        double cosTheta = Math.cos(theta);
        double sinTheta = Math.sin(theta);
        // Same operation order as the original, so the float64 results agree bit for bit.
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cosTheta * cosTheta) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;

        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;

        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        return result.set(observe(), rewardFor(terminated), terminated, false);
    }

    private double rewardFor(boolean terminated) {
        if (!terminated) {
            return 1.0;
        }
        if (stepsBeyondTerminated < 0) {
            stepsBeyondTerminated = 0;
            return 1.0;
        }
        if (stepsBeyondTerminated == 0) {
            LOG.warn("CartPoleEnv: step() called after the episode terminated; call reset() after terminated=true,"
                    + " further steps are undefined behaviour (reward 0)");
        }
        stepsBeyondTerminated++;
        return 0.0;
    }

    @Override
    public double[] getState() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    @Override
    protected void applyState(double[] state) {
        x = state[0];
        xDot = state[1];
        theta = state[2];
        thetaDot = state[3];
        stepsBeyondTerminated = -1;
    }

    @Override
    protected float[] observe() {
        obs[0] = (float) x;
        obs[1] = (float) xDot;
        obs[2] = (float) theta;
        obs[3] = (float) thetaDot;
        return obs;
    }

    /** A 600x400 frame: the black cart on its track, the pole, and its axle, as Gymnasium draws them. */
    @Override
    public RgbImage render() {
        int width = 600;
        int height = 400;
        double scale = width / (X_THRESHOLD * 2);
        double poleWidth = 10.0;
        double poleLength = scale * (2 * LENGTH);
        double cartWidth = 50.0;
        double cartHeight = 30.0;
        double axleOffset = cartHeight / 4.0;
        double cartX = x * scale + width / 2.0;
        double cartY = 100;

        Canvas canvas = new Canvas(width, height);
        canvas.fillRect(-cartWidth / 2, cartWidth / 2, -cartHeight / 2, cartHeight / 2, 0, cartX, cartY, Color.BLACK);
        canvas.fillRect(-poleWidth / 2, poleWidth / 2, -poleWidth / 2, poleLength - poleWidth / 2, -theta,
                cartX, cartY + axleOffset, new Color(202, 152, 101));
        canvas.fillCircle(cartX, cartY + axleOffset, poleWidth / 2, new Color(129, 132, 203));
        canvas.line(0, cartY, width, cartY, Color.BLACK);
        return canvas.toRgbImage();
    }
}
