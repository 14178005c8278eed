package org.sparkbaselines.nn.tape;

import org.sparkbaselines.nn.jvm.FlatKernels;

/**
 * The geometry of a {@link Tape#conv2d} (TensorFlow's {@code conv2d} with VALID padding and a square stride) over
 * images stored one per row, flattened NHWC, and its im2col layout: an image's patches form a {@code positions x
 * patchSize} matrix whose row {@code oy * outWidth + ox} is the kernel's window at output position {@code (oy, ox)},
 * flattened {@code (dy, dx, channel)} like the rows of the HWIO filters flattened to {@code (patchSize, outChannels)}.
 * The patches times the filters are then the image's feature map, flattened NHWC.
 */
record ConvolutionShape(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride) {

    boolean is(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride) {
        return this.height == height && this.width == width && this.channels == channels && this.kernelHeight == kernelHeight
                && this.kernelWidth == kernelWidth && this.stride == stride;
    }

    int outHeight() {
        return (height - kernelHeight) / stride + 1;
    }

    int outWidth() {
        return (width - kernelWidth) / stride + 1;
    }

    /** Output positions per image: the rows of its patch matrix. */
    int positions() {
        return outHeight() * outWidth();
    }

    /** Inputs under the kernel: the columns of the patch matrix, the rows of the filters. */
    int patchSize() {
        return kernelHeight * kernelWidth * channels;
    }

    int imageSize() {
        return height * width * channels;
    }

    /** Sets {@code patches} to the patch matrix of the image in row {@code image} of {@code images}. */
    void toPatches(float[] images, int image, float[] patches) {
        int windowRow = kernelWidth * channels;
        int patchSize = patchSize();
        int imageStart = image * imageSize();
        int position = 0;
        for (int oy = 0; oy < outHeight(); oy++) {
            for (int ox = 0; ox < outWidth(); ox++) {
                for (int dy = 0; dy < kernelHeight; dy++) {
                    int from = imageStart + ((oy * stride + dy) * width + ox * stride) * channels;
                    System.arraycopy(images, from, patches, position * patchSize + dy * windowRow, windowRow);
                }
                position++;
            }
        }
    }

    /** The transpose of {@link #toPatches}: adds each entry of the patch matrix into the image entry it was taken from. */
    void addPatches(float[] patches, float[] images, int image) {
        int windowRow = kernelWidth * channels;
        int patchSize = patchSize();
        int imageStart = image * imageSize();
        int position = 0;
        for (int oy = 0; oy < outHeight(); oy++) {
            for (int ox = 0; ox < outWidth(); ox++) {
                for (int dy = 0; dy < kernelHeight; dy++) {
                    int into = imageStart + ((oy * stride + dy) * width + ox * stride) * channels;
                    int from = position * patchSize + dy * windowRow;
                    for (int e = 0; e < windowRow; e++) {
                        images[into + e] += patches[from + e];
                    }
                }
                position++;
            }
        }
    }

    /**
     * Sets {@code featureMap} ({@code positions x outChannels}) to {@code bias + patches filters}, the bias a row of
     * {@code outChannels}; {@code transposeScratch} holds at least {@code outChannels * patchSize} floats.
     */
    void affine(float[] patches, float[] filters, float[] bias, int outChannels, float[] featureMap, float[] transposeScratch) {
        int positions = positions();
        FlatKernels.fillRows(bias, positions, outChannels, featureMap);
        FlatKernels.multiplyAccumulate(patches, positions, patchSize(), filters, outChannels, featureMap, transposeScratch);
    }
}
