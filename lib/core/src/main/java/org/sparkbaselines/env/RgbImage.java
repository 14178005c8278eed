package org.sparkbaselines.env;

/**
 * An RGB frame: {@code height x width} pixels, row-major, 3 bytes per pixel (Gym's
 * {@code (H, W, 3) uint8} rgb_array).
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB buffer has " + rgb.length + " bytes; " + width + "x" + height + " needs " + width * height * 3);
        }
    }

    /** The red, green, blue components of pixel (x, y) packed as 0xRRGGBB. */
    public int pixel(int x, int y) {
        int i = (y * width + x) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
    }
}
