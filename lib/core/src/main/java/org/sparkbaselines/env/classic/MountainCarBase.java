package org.sparkbaselines.env.classic;

import java.awt.Color;
import org.sparkbaselines.env.RgbImage;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * What the discrete and continuous mountain cars share: the valley, the state (position and
 * velocity, float64 after reset), the reset distribution, the observation and the picture.
 */
abstract class MountainCarBase extends ClassicControlEnv {
    static final double MIN_POSITION = -1.2;
    static final double MAX_POSITION = 0.6;
    static final double MAX_SPEED = 0.07;

    /** The flag's position: reaching it (at {@code goal_velocity} or faster) ends the episode. */
    private final double goalPosition;
    /** The state, float64 as the original holds it after reset. */
    protected double position;
    protected double velocity;

    MountainCarBase(Space actionSpace, double goalPosition) {
        super(new Box(new float[] {(float) MIN_POSITION, (float) -MAX_SPEED}, new float[] {(float) MAX_POSITION, (float) MAX_SPEED}),
                actionSpace, "position", "velocity");
        this.goalPosition = goalPosition;
    }

    @Override
    protected final float[] resetState() {
        position = uniform(-0.6, -0.4);
        velocity = 0;
        return observe();
    }

    @Override
    public final double[] getState() {
        return new double[] {position, velocity};
    }

    @Override
    protected final void applyState(double[] state) {
        position = state[0];
        velocity = state[1];
    }

    @Override
    protected final float[] observe() {
        obs[0] = (float) position;
        obs[1] = (float) velocity;
        return obs;
    }

    /** Whether the car is at the flag fast enough, compared in float64 before any rounding. */
    protected final boolean reachedGoal(double goalVelocity) {
        return position >= goalPosition && velocity >= goalVelocity;
    }

    /** The valley's height at {@code x}. */
    private static double height(double x) {
        return Math.sin(3 * x) * 0.45 + 0.55;
    }

    /** A 600x400 frame: the valley, the car tilted with the slope, its wheels and the goal flag, as Gymnasium draws them. */
    @Override
    public final RgbImage render() {
        int width = 600;
        int height = 400;
        double scale = width / (MAX_POSITION - MIN_POSITION);
        double carWidth = 40;
        double carHeight = 20;
        double clearance = 10;

        Canvas canvas = new Canvas(width, height);
        int points = 100;
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int i = 0; i < points; i++) {
            double x = MIN_POSITION + (MAX_POSITION - MIN_POSITION) * i / (points - 1);
            xs[i] = (x - MIN_POSITION) * scale;
            ys[i] = height(x) * scale;
        }
        canvas.polyline(xs, ys, Color.BLACK);

        double tilt = Math.cos(3 * position);
        double carX = (position - MIN_POSITION) * scale;
        double carY = clearance + height(position) * scale;
        canvas.fillRect(-carWidth / 2, carWidth / 2, 0, carHeight, tilt, carX, carY, Color.BLACK);
        Color wheelColor = new Color(128, 128, 128);
        for (double wheelX : new double[] {carWidth / 4, -carWidth / 4}) {
            canvas.fillCircle(carX + wheelX * Math.cos(tilt), carY + wheelX * Math.sin(tilt), carHeight / 2.5, wheelColor);
        }

        double flagX = (goalPosition - MIN_POSITION) * scale;
        double flagBottom = height(goalPosition) * scale;
        double flagTop = flagBottom + 50;
        canvas.line(flagX, flagBottom, flagX, flagTop, Color.BLACK);
        canvas.fillPolygon(new double[] {flagX, flagX, flagX + 25}, new double[] {flagTop, flagTop - 10, flagTop - 5}, 0, 0, 0,
                new Color(204, 204, 0));
        return canvas.toRgbImage();
    }
}
