package org.sparkbaselines.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A minimal TensorBoard event-file reader for tests, written from the TFRecord and protobuf specs
 * independently of {@link TensorBoardOutputFormat}: it checks both CRCs of every record and decodes
 * the Event fields the writer uses. Other modules' tests can use it to check what an algorithm logged.
 */
public final class TensorBoardEvents {
    /**
     * One decoded Event: {@code fileVersion} is null except in the first; {@code scalars} and
     * {@code histograms} are empty there.
     */
    public record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars, Map<String, HistogramValue> histograms) {
    }

    /** A decoded {@code HistogramProto}. */
    public record HistogramValue(double min, double max, double num, double sum, double sumSquares, double[] bucketLimits,
            double[] buckets) {
    }

    private TensorBoardEvents() {
    }

    /** The single event file in {@code dir}. */
    public static Path eventFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            if (events.size() != 1) {
                throw new AssertionError("expected one event file in " + dir + ", found " + events);
            }
            return events.get(0);
        }
    }

    /** Every event of {@code file}, in order; fails on a bad CRC or a truncated record. */
    public static List<Event> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] lengthBytes = take(in, 8);
            checkCrc(lengthBytes, in.getInt(), "length");
            long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = take(in, Math.toIntExact(length));
            checkCrc(data, in.getInt(), "data");
            events.add(decodeEvent(data));
        }
        return events;
    }

    private static byte[] take(ByteBuffer in, int count) {
        byte[] bytes = new byte[count];
        in.get(bytes);
        return bytes;
    }

    private static void checkCrc(byte[] bytes, int stored, String what) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int masked = Integer.rotateRight((int) crc.getValue(), 15) + 0xa282ead8;
        if (masked != stored) {
            throw new AssertionError("bad masked CRC of the " + what + ": stored " + Integer.toHexString(stored)
                    + ", computed " + Integer.toHexString(masked));
        }
    }

    private static Event decodeEvent(byte[] data) {
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        Map<String, HistogramValue> histograms = new LinkedHashMap<>();
        for (Field field : fields(data)) {
            switch (field.number()) {
                case 1 -> wallTime = Double.longBitsToDouble(field.fixed());
                case 2 -> step = field.varint();
                case 3 -> fileVersion = new String(field.bytes(), StandardCharsets.UTF_8);
                case 5 -> {
                    for (Field value : fields(field.bytes())) {
                        decodeValue(value.bytes(), scalars, histograms);
                    }
                }
                default -> throw new AssertionError("unexpected Event field " + field.number());
            }
        }
        return new Event(wallTime, step, fileVersion, scalars, histograms);
    }

    private static void decodeValue(byte[] data, Map<String, Float> scalars, Map<String, HistogramValue> histograms) {
        String tag = null;
        Float simpleValue = null;
        HistogramValue histogram = null;
        for (Field field : fields(data)) {
            switch (field.number()) {
                case 1 -> tag = new String(field.bytes(), StandardCharsets.UTF_8);
                case 2 -> simpleValue = Float.intBitsToFloat((int) field.fixed());
                case 5 -> histogram = decodeHistogram(field.bytes());
                default -> throw new AssertionError("unexpected Summary.Value field " + field.number());
            }
        }
        if (histogram != null) {
            histograms.put(tag, histogram);
        } else {
            scalars.put(tag, simpleValue);
        }
    }

    private static HistogramValue decodeHistogram(byte[] data) {
        double[] scalars = new double[5];
        double[] limits = null;
        double[] buckets = null;
        for (Field field : fields(data)) {
            switch (field.number()) {
                case 1, 2, 3, 4, 5 -> scalars[field.number() - 1] = Double.longBitsToDouble(field.fixed());
                case 6 -> limits = packedDoubles(field.bytes());
                case 7 -> buckets = packedDoubles(field.bytes());
                default -> throw new AssertionError("unexpected HistogramProto field " + field.number());
            }
        }
        return new HistogramValue(scalars[0], scalars[1], scalars[2], scalars[3], scalars[4], limits, buckets);
    }

    private static double[] packedDoubles(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[bytes.length / Double.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.getDouble();
        }
        return values;
    }

    /** One protobuf field: {@code varint} or {@code fixed} for numeric wire types, {@code bytes} for length-delimited. */
    private record Field(int number, long varint, long fixed, byte[] bytes) {
    }

    private static List<Field> fields(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = new ArrayList<>();
        while (in.hasRemaining()) {
            long key = readVarint(in);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> fields.add(new Field(number, readVarint(in), 0, null));
                case 1 -> fields.add(new Field(number, 0, in.getLong(), null));
                case 2 -> fields.add(new Field(number, 0, 0, take(in, Math.toIntExact(readVarint(in)))));
                case 5 -> fields.add(new Field(number, 0, in.getInt() & 0xFFFFFFFFL, null));
                default -> throw new AssertionError("unsupported wire type in key " + key);
            }
        }
        return fields;
    }

    private static long readVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
