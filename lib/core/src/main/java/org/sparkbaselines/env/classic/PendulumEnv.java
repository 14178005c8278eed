package org.sparkbaselines.env.classic;

import java.awt.Color;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;

/**
 * The inverted pendulum swing-up, Gymnasium 0.29.1's {@code PendulumEnv} ({@code Pendulum-v1}):
 * apply a torque to swing a pendulum up and keep it upright.
 *
 * <ul>
 *   <li>Actions: {@code Box(-2, 2, (1,))}, the torque. Values outside the bounds are clipped, as the
 *       original does; NaN or a wrong length is an error.</li>
 *   <li>Observations: {@code Box(3)} of {@code [cos(theta), sin(theta), theta_dot]} bounded by
 *       {@code [1, 1, 8]}.</li>
 *   <li>Reward {@code -(angle_normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2)}; never terminates
 *       (the registry's time limit of 200 steps truncates).</li>
 *   <li>Reset: theta uniform in [-pi, pi), theta_dot uniform in [-1, 1).</li>
 *   <li>Gravity {@code g} defaults to 10.0 (the {@code "g"} keyword of {@code Pendulum-v1}).</li>
 * </ul>
 *
 * <p>Follows the original exactly: float32 clipped torque, float64 state and arithmetic, the
 * angular velocity clipped to ±8, the observation rounded to float32. {@link #getState()} is
 * {@code [theta, theta_dot]}.
 */
public final class PendulumEnv extends ClassicControlEnv {
    /** Gymnasium's default gravity. */
    public static final double DEFAULT_GRAVITY = 10.0;

    private static final double MAX_SPEED = 8;
    private static final float MAX_TORQUE = 2.0f;
    private static final double DT = 0.05;
    private static final double MASS = 1.0;
    private static final double LENGTH = 1.0;
    private static final double TWO_PI = 2 * Math.PI;

    private final double g;
    private double theta;
    private double thetaDot;
    /** The last clipped torque, drawn as an arc; NaN before the first step of an episode. */
    private double lastTorque = Double.NaN;

    /** A pendulum with the default gravity 10.0. */
    public PendulumEnv() {
        this(DEFAULT_GRAVITY);
    }

    /** A pendulum under gravity {@code g} (m/s^2). */
    public PendulumEnv(double g) {
        super(new Box(new float[] {-1, -1, (float) -MAX_SPEED}, new float[] {1, 1, (float) MAX_SPEED}),
                new Box(-MAX_TORQUE, MAX_TORQUE, 1), "theta", "theta_dot");
        this.g = g;
    }

    /** The gravity this pendulum swings under. */
    public double gravity() {
        return g;
    }

    @Override
    protected float[] resetState() {
        theta = uniform(-Math.PI, Math.PI);
        thetaDot = uniform(-1, 1);
        lastTorque = Double.NaN;
        return observe();
    }

    @Override
    public StepResult step(float[] action) {
        // np.clip keeps the action's float32; all arithmetic after that is float64.
        double u = Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, scalarBoxAction(action)));
        lastTorque = u;
        double normalized = angleNormalize(theta);
        double costs = normalized * normalized + 0.1 * (thetaDot * thetaDot) + 0.001 * (u * u);

        double newThetaDot = thetaDot + (3 * g / (2 * LENGTH) * Math.sin(theta) + 3.0 / (MASS * (LENGTH * LENGTH)) * u) * DT;
        newThetaDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, newThetaDot));
        theta = theta + newThetaDot * DT;
        thetaDot = newThetaDot;
        return result.set(observe(), -costs, false, false);
    }

    /** Gymnasium's {@code ((x + pi) % (2 pi)) - pi} with Python's floored modulo. */
    static double angleNormalize(double x) {
        double r = (x + Math.PI) % TWO_PI;
        if (r < 0) {
            r += TWO_PI;
        }
        return r - Math.PI;
    }

    @Override
    public double[] getState() {
        return new double[] {theta, thetaDot};
    }

    @Override
    protected void applyState(double[] state) {
        theta = state[0];
        thetaDot = state[1];
        lastTorque = Double.NaN;
    }

    @Override
    protected float[] observe() {
        obs[0] = (float) Math.cos(theta);
        obs[1] = (float) Math.sin(theta);
        obs[2] = (float) thetaDot;
        return obs;
    }

    /**
     * A 500x500 frame: the red rod from the axle, upright at theta = 0, with an arc whose size and
     * direction show the last torque (Gymnasium draws an arrow image there).
     */
    @Override
    public RgbImage render() {
        int size = 500;
        Canvas canvas = new Canvas(size, size);
        double scale = size / (2.2 * 2);
        double offset = size / 2.0;
        double rodLength = scale;
        double rodWidth = 0.2 * scale;
        Color rodColor = new Color(204, 77, 77);
        double angle = theta + Math.PI / 2;
        canvas.fillRect(0, rodLength, -rodWidth / 2, rodWidth / 2, angle, offset, offset, rodColor);
        canvas.fillCircle(offset, offset, rodWidth / 2, rodColor);
        canvas.fillCircle(offset + rodLength * Math.cos(angle), offset + rodLength * Math.sin(angle), rodWidth / 2, rodColor);
        if (!Double.isNaN(lastTorque) && lastTorque != 0) {
            // Counter-clockwise for positive torque, growing with its magnitude.
            double radius = scale * Math.abs(lastTorque) / 4;
            canvas.arc(offset, offset, radius, Math.PI / 2, Math.signum(lastTorque) * 1.5 * Math.PI, 6f, Color.DARK_GRAY);
        }
        canvas.fillCircle(offset, offset, 0.05 * scale, Color.BLACK);
        return canvas.toRgbImage();
    }
}
