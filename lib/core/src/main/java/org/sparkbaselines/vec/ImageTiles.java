package org.sparkbaselines.vec;

import java.util.List;
import org.sparkbaselines.env.RgbImage;

/** Tiles frames into a grid, like the reference's {@code tile_images}. */
final class ImageTiles {
    private ImageTiles() {
    }

    static RgbImage tile(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to tile");
        }
        if (images.size() == 1) {
            return images.get(0);
        }
        int w = images.get(0).width();
        int h = images.get(0).height();
        for (RgbImage img : images) {
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("cannot tile frames of different sizes: " + w + "x" + h + " and "
                        + img.width() + "x" + img.height());
            }
        }
        int cols = (int) Math.ceil(Math.sqrt(images.size()));
        int rows = (int) Math.ceil(images.size() / (double) cols);
        byte[] out = new byte[cols * w * rows * h * 3];
        for (int k = 0; k < images.size(); k++) {
            int x0 = (k % cols) * w;
            int y0 = (k / cols) * h;
            byte[] src = images.get(k).rgb();
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, y * w * 3, out, ((y0 + y) * cols * w + x0) * 3, w * 3);
            }
        }
        return new RgbImage(cols * w, rows * h, out);
    }
}
