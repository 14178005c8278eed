package org.sparkbaselines.logging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds one protobuf message by hand: the few field kinds TensorBoard events need, so the library
 * does not depend on protobuf. Fields are appended in call order (protobuf accepts any order).
 */
final class ProtobufEncoder {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** A {@code double} field. */
    ProtobufEncoder addDouble(int field, double value) {
        tag(field, WIRE_FIXED64);
        littleEndian(Double.doubleToRawLongBits(value), Long.BYTES);
        return this;
    }

    /** A packed {@code repeated double} field. */
    ProtobufEncoder addPackedDoubles(int field, double[] values) {
        tag(field, WIRE_LENGTH_DELIMITED);
        varint((long) values.length * Double.BYTES);
        for (double v : values) {
            littleEndian(Double.doubleToRawLongBits(v), Long.BYTES);
        }
        return this;
    }

    /** A {@code float} field. */
    ProtobufEncoder addFloat(int field, float value) {
        tag(field, WIRE_FIXED32);
        littleEndian(Float.floatToRawIntBits(value), Integer.BYTES);
        return this;
    }

    /** An {@code int64} field (negative values take ten bytes, as protobuf specifies). */
    ProtobufEncoder addInt64(int field, long value) {
        tag(field, WIRE_VARINT);
        varint(value);
        return this;
    }

    /** A {@code string} field, UTF-8 encoded. */
    ProtobufEncoder addString(int field, String value) {
        return addBytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message field. */
    ProtobufEncoder addMessage(int field, ProtobufEncoder message) {
        return addBytes(field, message.toByteArray());
    }

    /** The encoded message. */
    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private ProtobufEncoder addBytes(int field, byte[] value) {
        tag(field, WIRE_LENGTH_DELIMITED);
        varint(value.length);
        bytes.writeBytes(value);
        return this;
    }

    private void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    private void varint(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            bytes.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes.write((int) rest);
    }

    private void littleEndian(long value, int byteCount) {
        for (int i = 0; i < byteCount; i++) {
            bytes.write((int) (value >>> (8 * i)));
        }
    }
}
