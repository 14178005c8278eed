package org.sparkbaselines.env.classic;

import java.awt.Color;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/**
 * The acrobot, Gymnasium 0.29.1's {@code AcrobotEnv} ({@code Acrobot-v1}): two links hanging from a
 * fixed joint, with torque on the joint between them; swing the free end above a line.
 *
 * <ul>
 *   <li>Actions: {@code Discrete(3)}, torque -1, 0 or +1 on the middle joint (no torque noise).</li>
 *   <li>Observations: {@code Box(6)} of {@code [cos theta1, sin theta1, cos theta2, sin theta2,
 *       dtheta1, dtheta2]}, the velocities bounded by ±4 pi and ±9 pi.</li>
 *   <li>Reward -1 per step and 0 on the terminal step, when {@code -cos(theta1) - cos(theta1 +
 *       theta2) > 1}.</li>
 *   <li>Reset: all four state variables uniform in [-0.1, 0.1), rounded to float32 as the original
 *       draws them.</li>
 * </ul>
 *
 * <p>Follows the original exactly: the book's dynamics (not the NIPS paper's) integrated over
 * {@code dt = 0.2} by one classic Runge-Kutta step in float64, angles wrapped to [-pi, pi] and
 * velocities bounded afterwards, the observation rounded to float32. {@link #getState()} is
 * {@code [theta1, theta2, dtheta1, dtheta2]}.
 */
public final class AcrobotEnv extends ClassicControlEnv {
    private static final double DT = 0.2;
    private static final double LINK_LENGTH_1 = 1.0;
    private static final double LINK_LENGTH_2 = 1.0;
    private static final double LINK_MASS_1 = 1.0;
    private static final double LINK_MASS_2 = 1.0;
    /** Positions of the links' centres of mass. */
    private static final double LINK_COM_POS_1 = 0.5;
    private static final double LINK_COM_POS_2 = 0.5;
    /** Moment of inertia of both links. */
    private static final double LINK_MOI = 1.0;
    private static final double GRAVITY = 9.8;
    private static final double MAX_VEL_1 = 4 * Math.PI;
    private static final double MAX_VEL_2 = 9 * Math.PI;
    private static final double[] AVAIL_TORQUE = {-1.0, 0.0, 1.0};
    private static final int STATE_SIZE = 4;

    /** theta1, theta2, dtheta1, dtheta2. */
    private final double[] state = new double[STATE_SIZE];
    // Runge-Kutta scratch space, kept so that stepping allocates nothing.
    private final double[] k1 = new double[STATE_SIZE];
    private final double[] k2 = new double[STATE_SIZE];
    private final double[] k3 = new double[STATE_SIZE];
    private final double[] k4 = new double[STATE_SIZE];
    private final double[] probe = new double[STATE_SIZE];

    /** An acrobot with Gymnasium's constants and book dynamics; call {@code reset} before stepping. */
    public AcrobotEnv() {
        super(new Box(new float[] {-1, -1, -1, -1, (float) -MAX_VEL_1, (float) -MAX_VEL_2},
                new float[] {1, 1, 1, 1, (float) MAX_VEL_1, (float) MAX_VEL_2}),
                new Discrete(AVAIL_TORQUE.length), "theta1", "theta2", "dtheta1", "dtheta2");
    }

    @Override
    protected float[] resetState() {
        for (int i = 0; i < STATE_SIZE; i++) {
            state[i] = (float) uniform(-0.1, 0.1);
        }
        return observe();
    }

    @Override
    public StepResult step(float[] action) {
        double torque = AVAIL_TORQUE[discreteAction(action)];
        rk4Step(torque);
        state[0] = wrap(state[0], -Math.PI, Math.PI);
        state[1] = wrap(state[1], -Math.PI, Math.PI);
        state[2] = bound(state[2], -MAX_VEL_1, MAX_VEL_1);
        state[3] = bound(state[3], -MAX_VEL_2, MAX_VEL_2);
        boolean terminated = -Math.cos(state[0]) - Math.cos(state[1] + state[0]) > 1.0;
        return result.set(observe(), terminated ? 0.0 : -1.0, terminated, false);
    }

    /**
     * One classic RK4 step of length {@link #DT} from {@link #state}, in the original's operation
     * order ({@code y0 + dt/6 (k1 + 2 k2 + 2 k3 + k4)}) so the float64 results agree.
     */
    private void rk4Step(double torque) {
        double halfDt = DT / 2.0;
        derivatives(state, torque, k1);
        for (int i = 0; i < STATE_SIZE; i++) {
            probe[i] = state[i] + halfDt * k1[i];
        }
        derivatives(probe, torque, k2);
        for (int i = 0; i < STATE_SIZE; i++) {
            probe[i] = state[i] + halfDt * k2[i];
        }
        derivatives(probe, torque, k3);
        for (int i = 0; i < STATE_SIZE; i++) {
            probe[i] = state[i] + DT * k3[i];
        }
        derivatives(probe, torque, k4);
        double sixthDt = DT / 6.0;
        for (int i = 0; i < STATE_SIZE; i++) {
            state[i] = state[i] + sixthDt * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /** The original's {@code _dsdt} with the book's equations: writes d(state)/dt into {@code out}. */
    private static void derivatives(double[] s, double torque, double[] out) {
        double m1 = LINK_MASS_1;
        double m2 = LINK_MASS_2;
        double l1 = LINK_LENGTH_1;
        double lc1 = LINK_COM_POS_1;
        double lc2 = LINK_COM_POS_2;
        double i1 = LINK_MOI;
        double i2 = LINK_MOI;
        double theta1 = s[0];
        double theta2 = s[1];
        double dtheta1 = s[2];
        double dtheta2 = s[3];
        double cosTheta2 = Math.cos(theta2);
        double sinTheta2 = Math.sin(theta2);
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cosTheta2) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * cosTheta2) + i2;
        double phi2 = m2 * lc2 * GRAVITY * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sinTheta2
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sinTheta2
                + (m1 * lc1 + m2 * l1) * GRAVITY * Math.cos(theta1 - Math.PI / 2)
                + phi2;
        double ddtheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sinTheta2 - phi2)
                / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        out[0] = dtheta1;
        out[1] = dtheta2;
        out[2] = ddtheta1;
        out[3] = ddtheta2;
    }

    /** Wraps {@code x} into [lo, hi] by whole periods, as the original's {@code wrap}. */
    private static double wrap(double x, double lo, double hi) {
        double period = hi - lo;
        while (x > hi) {
            x = x - period;
        }
        while (x < lo) {
            x = x + period;
        }
        return x;
    }

    private static double bound(double x, double lo, double hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    @Override
    public double[] getState() {
        return state.clone();
    }

    /** Keeps the values as given: a recorded initial state was drawn as float32 already. */
    @Override
    protected void applyState(double[] newState) {
        System.arraycopy(newState, 0, state, 0, STATE_SIZE);
    }

    @Override
    protected float[] observe() {
        obs[0] = (float) Math.cos(state[0]);
        obs[1] = (float) Math.sin(state[0]);
        obs[2] = (float) Math.cos(state[1]);
        obs[3] = (float) Math.sin(state[1]);
        obs[4] = (float) state[2];
        obs[5] = (float) state[3];
        return obs;
    }

    /** A 500x500 frame: the target line, the two cyan links and their yellow joints, as Gymnasium draws them. */
    @Override
    public RgbImage render() {
        int size = 500;
        double scale = size / ((LINK_LENGTH_1 + LINK_LENGTH_2 + 0.2) * 2);
        double offset = size / 2.0;
        // Gymnasium's frame has x and y swapped relative to the link angles: theta = 0 hangs down.
        double joint1X = offset;
        double joint1Y = offset;
        double joint2X = joint1X + LINK_LENGTH_1 * Math.sin(state[0]) * scale;
        double joint2Y = joint1Y - LINK_LENGTH_1 * Math.cos(state[0]) * scale;

        Canvas canvas = new Canvas(size, size);
        canvas.line(-2.2 * scale + offset, scale + offset, 2.2 * scale + offset, scale + offset, Color.BLACK);
        drawLink(canvas, joint1X, joint1Y, state[0] - Math.PI / 2, LINK_LENGTH_1 * scale, scale);
        drawLink(canvas, joint2X, joint2Y, state[0] + state[1] - Math.PI / 2, LINK_LENGTH_2 * scale, scale);
        return canvas.toRgbImage();
    }

    private static void drawLink(Canvas canvas, double x, double y, double angle, double length, double scale) {
        canvas.fillRect(0, length, -0.1 * scale, 0.1 * scale, angle, x, y, new Color(0, 204, 204));
        canvas.fillCircle(x, y, 0.1 * scale, new Color(204, 204, 0));
    }
}
