package org.sparkbaselines.env.classic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.sparkbaselines.env.RgbImage;

/**
 * An off-screen java.awt drawing surface with Gymnasium's render conventions: a white background,
 * y pointing up (pygame draws with y up and flips the surface at the end), antialiasing, and shapes
 * rotated as {@code pygame.math.Vector2.rotate_rad}. One canvas draws one frame. Renderers create
 * it before any other AWT object, so that headless mode is chosen before AWT first asks.
 */
final class Canvas {
    static {
        // Rendering never needs a display; respect an explicit choice if the application made one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final BufferedImage image;
    private final Graphics2D g;

    Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.translate(0, height);
        g.scale(1, -1);
    }

    /**
     * Fills the polygon of corners {@code (xs[i], ys[i])} rotated by {@code angle} about the origin,
     * then moved by {@code (dx, dy)}.
     */
    void fillPolygon(double[] xs, double[] ys, double angle, double dx, double dy, Color color) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i] * cos - ys[i] * sin + dx;
            double y = xs[i] * sin + ys[i] * cos + dy;
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        g.setColor(color);
        g.fill(path);
    }

    /** Fills the rectangle {@code [left, right] x [bottom, top]} rotated and moved as {@link #fillPolygon}. */
    void fillRect(double left, double right, double bottom, double top, double angle, double dx, double dy, Color color) {
        fillPolygon(new double[] {left, left, right, right}, new double[] {bottom, top, top, bottom}, angle, dx, dy, color);
    }

    void fillCircle(double cx, double cy, double radius, Color color) {
        g.setColor(color);
        g.fill(new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius));
    }

    void line(double x1, double y1, double x2, double y2, Color color) {
        g.setColor(color);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    /** An open polyline through {@code (xs[i], ys[i])}. */
    void polyline(double[] xs, double[] ys, Color color) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        g.setColor(color);
        g.draw(path);
    }

    /** A circular arc of {@code extent} radians starting at angle {@code start}, stroked {@code width} wide. */
    void arc(double cx, double cy, double radius, double start, double extent, float width, Color color) {
        Path2D.Double path = new Path2D.Double();
        int segments = 32;
        for (int i = 0; i <= segments; i++) {
            double a = start + extent * i / segments;
            double x = cx + radius * Math.cos(a);
            double y = cy + radius * Math.sin(a);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        g.setStroke(new BasicStroke());
    }

    /** The frame as RGB bytes, top row first; the canvas cannot be drawn on afterwards. */
    RgbImage toRgbImage() {
        g.dispose();
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }
}
