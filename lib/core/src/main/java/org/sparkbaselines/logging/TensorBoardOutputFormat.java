package org.sparkbaselines.logging;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * SB3's {@code TensorBoardOutputFormat}: a TensorFlow event file that {@code tensorboard --logdir}
 * reads, with one scalar per numeric key and dump ({@code tag} = the key, x axis = the dump's step),
 * and a histogram per {@link Histogram} value ({@code full_tensorboard_log}). Strings are not written. The file, {@code events.out.tfevents.<unix seconds>.<hostname>} (plus {@code .1},
 * {@code .2}... if another writer took that name in the same second), is made of
 * TFRecords ({@code uint64 length | masked crc32c(length) | data | masked crc32c(data)}, little-endian),
 * each holding an {@code Event} protobuf; the first one declares the file version. Each dump is flushed
 * so TensorBoard shows it while training runs.
 */
public final class TensorBoardOutputFormat implements KVWriter {
    /** The prefix TensorBoard recognises event files by. */
    public static final String FILE_PREFIX = "events.out.tfevents.";
    static final String FILE_VERSION = "brain.Event:2";

    // Field numbers of tensorflow/core/util/event.proto and summary.proto.
    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_FILE_VERSION = 3;
    private static final int EVENT_SUMMARY = 5;
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE_VALUE = 2;
    private static final int VALUE_HISTO = 5;
    private static final int HISTO_MIN = 1;
    private static final int HISTO_MAX = 2;
    private static final int HISTO_NUM = 3;
    private static final int HISTO_SUM = 4;
    private static final int HISTO_SUM_SQUARES = 5;
    private static final int HISTO_BUCKET_LIMIT = 6;
    private static final int HISTO_BUCKET = 7;

    /** TFRecord's CRC mask, which keeps a CRC of data that itself holds CRCs from being degenerate. */
    private static final int CRC_MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;

    /** Creates a new event file in {@code folder} (created if missing) and writes its version record. */
    public TensorBoardOutputFormat(Path folder) {
        try {
            Files.createDirectories(folder);
            String name = FILE_PREFIX + System.currentTimeMillis() / 1000 + "." + hostName();
            this.file = createNew(folder, name);
            this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a TensorBoard event file in " + folder, e);
        }
        writeRecord(event().addString(EVENT_FILE_VERSION, FILE_VERSION));
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    @Override
    public LogFormat format() {
        return LogFormat.TENSORBOARD;
    }

    @Override
    public void write(Map<String, Object> keyValues, long step) {
        ProtobufEncoder summary = new ProtobufEncoder();
        boolean anyValue = false;
        for (Map.Entry<String, Object> entry : keyValues.entrySet()) {
            ProtobufEncoder value = new ProtobufEncoder().addString(VALUE_TAG, entry.getKey());
            if (entry.getValue() instanceof Number number) {
                summary.addMessage(SUMMARY_VALUE, value.addFloat(VALUE_SIMPLE_VALUE, number.floatValue()));
                anyValue = true;
            } else if (entry.getValue() instanceof Histogram histogram) {
                summary.addMessage(SUMMARY_VALUE, value.addMessage(VALUE_HISTO, histogramProto(histogram)));
                anyValue = true;
            }
        }
        if (anyValue) {
            writeRecord(event().addInt64(EVENT_STEP, step).addMessage(EVENT_SUMMARY, summary));
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private static ProtobufEncoder histogramProto(Histogram h) {
        return new ProtobufEncoder()
                .addDouble(HISTO_MIN, h.min())
                .addDouble(HISTO_MAX, h.max())
                .addDouble(HISTO_NUM, h.num())
                .addDouble(HISTO_SUM, h.sum())
                .addDouble(HISTO_SUM_SQUARES, h.sumSquares())
                .addPackedDoubles(HISTO_BUCKET_LIMIT, h.bucketLimits())
                .addPackedDoubles(HISTO_BUCKET, h.bucketCounts());
    }

    private static ProtobufEncoder event() {
        return new ProtobufEncoder().addDouble(EVENT_WALL_TIME, System.currentTimeMillis() / 1000.0);
    }

    private void writeRecord(ProtobufEncoder event) {
        byte[] data = event.toByteArray();
        byte[] length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        try {
            out.write(length);
            out.write(littleEndianInt(maskedCrc32c(length)));
            out.write(data);
            out.write(littleEndianInt(maskedCrc32c(data)));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
    }

    private static int maskedCrc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + CRC_MASK_DELTA;
    }

    private static byte[] littleEndianInt(int value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** {@code name}, or {@code name.1}, {@code name.2}... when a writer opened in the same second already took it. */
    private static Path createNew(Path folder, String name) throws IOException {
        for (int suffix = 0; ; suffix++) {
            Path candidate = folder.resolve(suffix == 0 ? name : name + "." + suffix);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
