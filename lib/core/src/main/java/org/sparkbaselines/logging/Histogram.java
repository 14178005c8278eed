package org.sparkbaselines.logging;

/**
 * A histogram of values for TensorBoard's histogram dashboard (TensorFlow's {@code HistogramProto}):
 * the values' min, max, count, sum and sum of squares, and {@link #BUCKETS} equal-width buckets from min
 * to max, bucket {@code i} holding the values up to {@code bucketLimits[i]} (the last one up to max).
 *
 * @param bucketLimits the right edge of each bucket
 * @param bucketCounts how many values fall into each bucket
 */
public record Histogram(double min, double max, long num, double sum, double sumSquares, double[] bucketLimits, double[] bucketCounts) {
    /** Buckets per histogram: TensorBoard re-bins to 30 for display, so more would only cost file space. */
    public static final int BUCKETS = 30;

    /** The histogram of {@code values} (at least one). */
    public static Histogram of(float[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one value");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += (double) v * v;
        }
        // Equal values get one bucket of width zero, as TensorBoard draws them.
        int buckets = max > min ? BUCKETS : 1;
        double width = (max - min) / buckets;
        double[] limits = new double[buckets];
        double[] counts = new double[buckets];
        for (int i = 0; i < buckets; i++) {
            limits[i] = i == buckets - 1 ? max : min + (i + 1) * width;
        }
        for (float v : values) {
            int bucket = width == 0 ? 0 : (int) Math.min(buckets - 1, Math.floor((v - min) / width));
            counts[bucket]++;
        }
        return new Histogram(min, max, values.length, sum, sumSquares, limits, counts);
    }
}
