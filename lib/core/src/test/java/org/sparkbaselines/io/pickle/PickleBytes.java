package org.sparkbaselines.io.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.sparkbaselines.SharedReference;

/** Hand-assembles pickle streams for tests: opcodes, their binary arguments and protocol 0 text. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A stream starting with {@code PROTO version}. */
    static PickleBytes proto(int version) {
        return new PickleBytes().op(0x80).u8(version);
    }

    /** A stream without a PROTO opcode (protocol 0 or 1). */
    static PickleBytes text(String latin1) {
        return new PickleBytes().raw(latin1);
    }

    /** Bytes from hex digits, ignoring whitespace. */
    static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replaceAll("\\s", ""));
    }

    /** One opcode byte. */
    PickleBytes op(int code) {
        out.write(code);
        return this;
    }

    /** Characters as latin-1 bytes, e.g. protocol 0 opcodes with their text arguments. */
    PickleBytes raw(String latin1) {
        out.writeBytes(latin1.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    PickleBytes bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBytes u8(int value) {
        out.write(value);
        return this;
    }

    PickleBytes i32(int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        return this;
    }

    PickleBytes u64(long value) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return this;
    }

    /** SHORT_BINUNICODE of {@code text}. */
    PickleBytes str(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).u8(utf8.length).bytes(utf8);
    }

    /** SHORT_BINBYTES of {@code data}. */
    PickleBytes shortBytes(byte[] data) {
        return op('C').u8(data.length).bytes(data);
    }

    /** BININT of {@code value}. */
    PickleBytes integer(int value) {
        return op('J').i32(value);
    }

    /** GLOBAL {@code module name}. */
    PickleBytes global(String module, String name) {
        return raw("c" + module + "\n" + name + "\n");
    }

    /** STACK_GLOBAL of {@code module name}. */
    PickleBytes stackGlobal(String module, String name) {
        return str(module).str(name).op(0x93);
    }

    /** {@code numpy.dtype(descr, False, True)} with BUILD state giving byte order {@code order}. */
    PickleBytes dtype(String descr, String order) {
        return global("numpy", "dtype").str(descr).op(0x89).op(0x88).op(0x87).op('R')
                .op('(').u8('K').u8(3).str(order).op('N').op('N').op('N').integer(-1).integer(-1).u8('K').u8(0).op('t').op('b');
    }

    /** A tuple of ints: BININT when it fits, else an 8-byte LONG1. */
    PickleBytes ints(long... values) {
        op('(');
        for (long value : values) {
            if (value == (int) value) {
                integer((int) value);
            } else {
                op(0x8a).u8(8).u64(value);
            }
        }
        return op('t');
    }

    /**
     * A numpy array as numpy pickles it: {@code _reconstruct(ndarray, (0,), b'b')}, then BUILD with
     * {@code (1, shape, dtype, fortran, data)}.
     */
    PickleBytes array(long[] shape, String descr, String order, boolean fortran, byte[] data) {
        global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").u8('K').u8(0).op(0x85).shortBytes(new byte[] {'b'})
                .op(0x87).op('R');
        op('(').u8('K').u8(1).ints(shape).dtype(descr, order).op(fortran ? 0x88 : 0x89);
        return op('B').i32(data.length).bytes(data).op('t').op('b');
    }

    /** STOP, and the stream. */
    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    /** The stream as is (no STOP added). */
    byte[] build() {
        return out.toByteArray();
    }

    /** The directory of the SB2 zoo agents ({@code shared/reference/sb2-zoo}). */
    static Path zoo() {
        return SharedReference.path("sb2-zoo");
    }
}
