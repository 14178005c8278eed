package org.sparkbaselines.io.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.io.HeapBudget;
import org.sparkbaselines.io.MalformedFileException;

/**
 * Pickles written to attack a reader: code execution through globals, lengths and shapes claiming far
 * more than the file holds, truncated and corrupted zoo files, and streams that break the machine's
 * rules. Each must give an inert value or a one-line {@link MalformedFileException}, nothing else.
 */
class PickleHostileTest {
    /** Set when {@link Canary} is initialized, which would mean the reader looked up a class a file named. */
    static final AtomicBoolean CANARY_LOADED = new AtomicBoolean();

    /** A class a hostile pickle names; the reader must never load it. */
    static final class Canary {
        static {
            CANARY_LOADED.set(true);
        }
    }

    @Test
    void osSystemIsRecordedNotCalled(@TempDir Path dir) throws MalformedFileException {
        Path marker = dir.resolve("MARKER");
        String command = "touch " + marker;
        for (String module : List.of("os", "posix", "nt")) {
            Object loaded = Pickle.load(PickleBytes.text("c" + module + "\nsystem\n(S'" + command + "'\ntR.").build(), "classic.pkl");
            PyObject call = assertInstanceOf(PyObject.class, loaded);
            assertEquals(new PyGlobal(module, "system"), call.type());
            assertEquals(List.of(command), call.args());
        }
        // getattr(os, 'system')('touch ...'), eval and subprocess in protocol 4.
        Object viaGetattr = Pickle.load(PickleBytes.text("cbuiltins\ngetattr\n(cos\nos\nS'system'\ntR(S'" + command + "'\ntR.").build(), "getattr.pkl");
        PyObject call = (PyObject) viaGetattr;
        assertEquals(new PyGlobal("builtins", "getattr"), call.type());
        assertEquals(List.of(new PyGlobal("os", "os"), "system"), ((PyObject) call.callee()).args());
        for (String[] global : new String[][] {{"builtins", "eval"}, {"builtins", "exec"}, {"subprocess", "check_call"}}) {
            byte[] pickle = PickleBytes.proto(4).stackGlobal(global[0], global[1]).str("__import__('os').system('" + command + "')")
                    .op(0x85).op('R').stop();
            assertEquals(new PyGlobal(global[0], global[1]), ((PyObject) Pickle.load(pickle, "eval.pkl")).type());
        }
        assertFalse(Files.exists(marker), "the command ran");
    }

    @Test
    void everyWayOfCallingAGlobalMakesAPlaceholder() throws MalformedFileException {
        String canary = Canary.class.getName(); // org.sparkbaselines.io.pickle.PickleHostileTest$Canary
        String module = canary.substring(0, canary.lastIndexOf('.'));
        String name = canary.substring(canary.lastIndexOf('.') + 1);
        byte[] pickle = PickleBytes.proto(4).op('(')
                .global(module, name).integer(1).op(0x85).op('R').op('}').str("x").integer(2).op('s').op('b') // REDUCE + BUILD
                .op('(').integer(3).raw("i" + module + "\n" + name + "\n") // INST
                .op('(').global(module, name).integer(4).op('o') // OBJ
                .global(module, name).integer(5).op(0x85).op(0x81).str("state").op('b') // NEWOBJ + BUILD of a str
                .global(module, name).op(')').op('}').str("k").integer(6).op('s').op(0x92) // NEWOBJ_EX
                .global("copyreg", "__newobj__").global(module, name).integer(7).op(0x86).op('R') // copyreg.__newobj__
                .op('l').stop();
        List<?> objects = (List<?>) Pickle.load(pickle, "canary.pkl");
        assertEquals(6, objects.size());
        PyGlobal type = new PyGlobal(module, name);
        List<List<Long>> args = List.of(List.of(1L), List.of(3L), List.of(4L), List.of(5L), List.of(), List.of(7L));
        for (int i = 0; i < objects.size(); i++) {
            PyObject object = (PyObject) objects.get(i);
            assertEquals(type, object.type());
            assertEquals(args.get(i), object.args());
        }
        assertEquals(2L, ((PyObject) objects.get(0)).attribute("x"));
        assertEquals("state", ((PyObject) objects.get(3)).state());
        assertEquals(java.util.Map.of("k", 6L), ((PyObject) objects.get(4)).kwargs());
        assertFalse(CANARY_LOADED.get(), "the reader loaded a class the pickle named");
    }

    @Test
    void lengthsClaimingMoreThanTheFileHoldsAreRefusedBeforeAllocating() throws Throwable {
        long twoTo62 = 1L << 62;
        assertClaimRefused("BINBYTES claims 4294967295 bytes at offset 2 but only 1 remain", PickleBytes.proto(3).op('B').i32(-1).stop());
        assertClaimRefused("BINUNICODE claims 2147483648 bytes at offset 2 but only 1 remain",
                PickleBytes.proto(3).op('X').i32(Integer.MIN_VALUE).stop());
        assertClaimRefused("BINBYTES8 claims 4611686018427387904 bytes at offset 2 but only 1 remain",
                PickleBytes.proto(4).op(0x8e).u64(twoTo62).stop());
        assertClaimRefused("BINUNICODE8 claims 4611686018427387904 bytes at offset 2 but only 1 remain",
                PickleBytes.proto(4).op(0x8d).u64(twoTo62).stop());
        assertClaimRefused("BYTEARRAY8 claims 9223372036854775808 bytes at offset 2 but only 1 remain",
                PickleBytes.proto(5).op(0x96).u64(Long.MIN_VALUE).stop());
        assertClaimRefused("FRAME claims 18446744073709551615 bytes at offset 2 but only 1 remain", PickleBytes.proto(4).op(0x95).u64(-1).stop());
        assertClaimRefused("LONG4 claims 2147483647 bytes at offset 2 but only 1 remain", PickleBytes.proto(2).op(0x8b).i32(Integer.MAX_VALUE).stop());
        assertClaimRefused("BINSTRING claims 2147483647 bytes at offset 0 but only 1 remain", PickleBytes.text("T").i32(Integer.MAX_VALUE).stop());
        assertClaimRefused("LONG4 claims a negative length, -2", PickleBytes.proto(2).op(0x8b).i32(-2).stop());
    }

    @Test
    void numpyShapesClaimingMoreThanTheDataAreRefusedBeforeAllocating() throws Throwable {
        byte[] eightBytes = new byte[8];
        assertClaimRefused("numpy array of shape (1000000000000,) and dtype <f8 needs 8000000000000 bytes but its data has 8",
                PickleBytes.proto(2).array(new long[] {1_000_000_000_000L}, "f8", "<", false, eightBytes).stop());
        assertClaimRefused("numpy array of shape (1099511627776, 1099511627776) and dtype <f4 needs more than 2^63 bytes but its data has 8",
                PickleBytes.proto(2).array(new long[] {1L << 40, 1L << 40}, "f4", "<", false, eightBytes).stop());
        assertClaimRefused("numpy array of shape (2, 0) and dtype <i4 needs 0 bytes but its data has 8",
                PickleBytes.proto(2).array(new long[] {2, 0}, "i4", "<", false, eightBytes).stop());
        assertClaimRefused("numpy array shape (-1,) must hold non-negative ints",
                PickleBytes.proto(2).array(new long[] {-1}, "f8", "<", false, eightBytes).stop());
        assertClaimRefused("numpy array shape (0, 4294967296) has a dimension over the limit of 2147483639",
                PickleBytes.proto(2).array(new long[] {0, 1L << 32}, "f8", "<", false, new byte[0]).stop());
        long[] tooManyDimensions = new long[65];
        Arrays.fill(tooManyDimensions, 1);
        assertClaimRefused("numpy array shape has 65 dimensions, over the limit of 64",
                PickleBytes.proto(2).array(tooManyDimensions, "f8", "<", false, eightBytes).stop());
    }

    private static void assertClaimRefused(String expected, byte[] pickle) throws Throwable {
        long start = System.nanoTime();
        MalformedFileException e = HeapBudget.assertWithin(expected, () -> assertThrows(MalformedFileException.class, () -> Pickle.load(pickle, "claim.pkl")));
        assertTrue(e.getMessage().startsWith("claim.pkl: ") && e.getMessage().contains(expected), e.getMessage());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "took " + (System.nanoTime() - start) / 1e9 + " s");
    }

    static List<Path> zooPickles() throws IOException {
        try (Stream<Path> files = Files.walk(PickleBytes.zoo())) {
            return files.filter(f -> f.toString().endsWith(".pkl")).sorted().toList();
        }
    }

    @Test
    void truncatedZooFilesAreMalformed() throws IOException {
        Random random = new Random(20240601);
        for (Path file : zooPickles()) {
            byte[] bytes = Files.readAllBytes(file);
            for (int trial = 0; trial < 20; trial++) {
                int cut = random.nextInt(bytes.length);
                byte[] truncated = Arrays.copyOf(bytes, cut);
                MalformedFileException e = assertThrows(MalformedFileException.class, () -> Pickle.load(truncated, file.toString()),
                        file + " cut at " + cut);
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    @Test
    void corruptedZooFilesParseOrAreMalformed() throws IOException {
        List<Path> files = zooPickles();
        Random random = new Random(42);
        int refused = 0;
        for (int trial = 0; trial < 200; trial++) {
            Path file = files.get(random.nextInt(files.size()));
            byte[] bytes = Files.readAllBytes(file);
            int flips = 1 + random.nextInt(4);
            StringBuilder what = new StringBuilder(file + " with bytes changed at");
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) random.nextInt(256);
                what.append(' ').append(at);
            }
            refused += parsesOrIsMalformed(bytes, what.toString()) ? 0 : 1;
        }
        assertTrue(refused > 20, "only " + refused + " of 200 corrupted files were refused");
    }

    @Test
    void randomStreamsParseOrAreMalformed() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bytes = new byte[1 + random.nextInt(64)];
            random.nextBytes(bytes);
            if (trial % 2 == 0) {
                bytes[0] = (byte) 0x80;
                bytes[Math.min(1, bytes.length - 1)] = 4;
            }
            parsesOrIsMalformed(bytes, "random stream " + trial + " " + Arrays.toString(bytes));
        }
    }

    /** True when {@code bytes} loads, false when refused; fails the test on any other outcome. */
    private static boolean parsesOrIsMalformed(byte[] bytes, String what) {
        try {
            Pickle.repr(Pickle.load(bytes, "corrupt.pkl"));
            return true;
        } catch (MalformedFileException e) {
            assertTrue(e.getMessage().startsWith("corrupt.pkl: ") && !e.getMessage().contains("\n"), e.getMessage());
            return false;
        } catch (Throwable t) {
            return fail(what + " threw " + t, t);
        }
    }

    @Test
    void brokenMachineRulesAreNamed() {
        assertRefused("stack underflow in TUPLE1 at offset 2", PickleBytes.proto(2).op(0x85).stop());
        assertRefused("stack underflow in STOP at offset 2", PickleBytes.proto(2).stop());
        assertRefused("stack underflow in TUPLE2 at offset 5", PickleBytes.proto(2).op('N').op('(').op('N').op(0x86).stop()); // not across a MARK
        assertRefused("MARK missing: TUPLE at offset 2 needs a MARK", PickleBytes.proto(2).op('t').stop());
        assertRefused("MARK missing: SETITEMS at offset 3 needs a MARK", PickleBytes.proto(2).op('}').op('u').stop());
        assertRefused("memo key 5 missing: BINGET at offset 2 refers to a value never stored", PickleBytes.proto(2).op('h').u8(5).stop());
        assertRefused("memo key 7 missing: GET at offset 0", PickleBytes.text("g7\n.").build());
        assertRefused("unknown pickle opcode 0xff at offset 2", PickleBytes.proto(2).op(0xff).stop());
        assertRefused("unknown pickle opcode 0x00 at offset 0", new byte[] {0});
        assertRefused("truncated: the pickle ends at offset 3 without a STOP opcode", PickleBytes.proto(2).op('N').build());
        assertRefused("truncated: BININT at offset 2 needs 4 bytes but only 2 remain", PickleBytes.proto(2).op('J').u8(1).u8(2).build());
        assertRefused("truncated: GLOBAL at offset 0 has no end of line", PickleBytes.text("cos\nsystem").build());
        assertRefused("unsupported pickle protocol 6", PickleBytes.proto(6).op('N').stop());
        assertRefused("a dict key must be hashable (None, bool, int, float, str, or a tuple of them), not a list (SETITEM at offset 5)",
                PickleBytes.proto(2).op('}').op(']').op('N').op('s').stop());
        assertRefused("a set element must be hashable", PickleBytes.proto(4).op(0x8f).op('(').op('}').op(0x90).stop());
        assertRefused("a dict key must be hashable", PickleBytes.proto(2).op('}').op('(').op(']').op(0x85).op('N').op('u').stop());
        assertRefused("SETITEMS needs keys and values in pairs but has an odd number of items, 1", PickleBytes.proto(2).op('}').op('(').op('N').op('u').stop());
        assertRefused("REDUCE calls a str, which is neither a global nor a placeholder", PickleBytes.proto(4).str("os.system").op(')').op('R').stop());
        assertRefused("NEWOBJ instantiates an int, which is neither a global nor a placeholder", PickleBytes.proto(4).integer(1).op(')').op(0x81).stop());
        assertRefused("REDUCE arguments must be a tuple, not a list", PickleBytes.proto(2).global("os", "system").op(']').op('R').stop());
        assertRefused("BUILD sets the state of a list, which only an object placeholder has", PickleBytes.proto(2).op(']').op('}').op('b').stop());
        assertRefused("APPEND needs a list on the stack, not a m.C placeholder", PickleBytes.proto(2).global("m", "C").op(')').op('R').op('N').op('a').stop());
        assertRefused("STACK_GLOBAL needs two str, got an int and a str", PickleBytes.proto(4).integer(1).str("x").op(0x93).stop());
        assertRefused("persistent IDs are refused: BINPERSID at offset 3", PickleBytes.proto(2).op('N').op('Q').stop());
        assertRefused("persistent IDs are refused: PERSID at offset 0", PickleBytes.text("P1\n.").build());
        assertRefused("extension codes are refused: EXT1 at offset 2", PickleBytes.proto(2).op(0x82).u8(1).stop());
        assertRefused("out-of-band buffers are not supported: NEXT_BUFFER at offset 2", PickleBytes.proto(5).op(0x97).stop());
        assertRefused("READONLY_BUFFER needs bytes on the stack, not None", PickleBytes.proto(5).op('N').op(0x98).stop());
        assertRefused("invalid UTF-8 text (SHORT_BINUNICODE at offset 2)", PickleBytes.proto(4).op(0x8c).u8(1).u8(0xff).stop());
        assertRefused("invalid integer text 'x1' (INT at offset 0)", PickleBytes.text("Ix1\n.").build());
        assertRefused("integer text of 5000 characters exceeds the limit of 4300 digits", PickleBytes.text("L" + "9".repeat(5000) + "L\n.").build());
        assertRefused("invalid float text '1.5d' (FLOAT at offset 0)", PickleBytes.text("F1.5d\n.").build());
        assertRefused("the STRING argument must be quoted", PickleBytes.text("Sabc\n.").build());
        assertRefused("invalid \\x escape in the STRING argument", PickleBytes.text("S'\\x4'\n.").build());
        assertRefused("truncated \\uXXXX escape in the UNICODE argument", PickleBytes.text("V\\u12\n.").build());
        assertRefused("_codecs.encode is evaluated only for bytes or (str, 'latin1')", PickleBytes.proto(2).global("_codecs", "encode").str("\u20ac")
                .str("utf-8").op(0x86).op('R').stop());
        assertRefused("_codecs.encode's text has a character beyond latin-1 (U+20AC)", PickleBytes.proto(2).global("_codecs", "encode").str("\u20ac")
                .str("latin1").op(0x86).op('R').stop());
        assertRefused("builtins.bytes is evaluated only for bytes or (str, 'latin1'), got (1000000000,)",
                PickleBytes.proto(2).global("builtins", "bytes").integer(1_000_000_000).op(0x85).op('R').stop());
        assertRefused("numpy array state must be a tuple (version, shape, dtype, is_fortran, data), not None",
                PickleBytes.proto(2).global("numpy", "ndarray").op(')').op(0x81).op('N').op('b').stop());
        assertRefused("expected a numpy dtype, not 'f4'", PickleBytes.proto(2).global("numpy.core.multiarray", "scalar").str("f4")
                .shortBytes(new byte[4]).op(0x86).op('R').stop());
    }

    @Test
    void stackAndMarksAreBounded() {
        byte[] values = new byte[Unpickler.MAX_STACK_ENTRIES + 3];
        Arrays.fill(values, (byte) 'N');
        values[values.length - 1] = '.';
        assertRefused("the stack grew past 1000000 values (NONE at offset 1000000)", values);
        byte[] marks = new byte[Unpickler.MAX_STACK_ENTRIES + 3];
        Arrays.fill(marks, (byte) '(');
        marks[marks.length - 1] = '.';
        assertRefused("more than 1000000 nested MARKs (MARK at offset 1000000)", marks);
    }

    @Test
    void deepNestingNeitherRecursesNorHashesDeeply() throws MalformedFileException {
        // 300,000 nested 1-tuples: built without recursion, rendered within bounds.
        int depth = 300_000;
        byte[] nested = new byte[depth + 2];
        nested[0] = 'N';
        Arrays.fill(nested, 1, depth + 1, (byte) 0x85);
        nested[depth + 1] = '.';
        PyTuple top = (PyTuple) Pickle.load(nested, "nested.pkl");
        assertTrue(Pickle.repr(top).startsWith("(((((((("));
        assertTrue(top.toString().length() < 100, top.toString());
        // The same tuple as a dict key would be hashed recursively: refused.
        byte[] asKey = Arrays.copyOf(nested, depth + 4);
        asKey[0] = '}';
        asKey[1] = 'N';
        asKey[depth + 1] = 'N';
        asKey[depth + 2] = 's';
        asKey[depth + 3] = '.';
        assertRefused("a dict key may be a tuple of at most 256 items in all", asKey);
    }

    @Test
    void bytesAfterStopAreIgnoredAndNoneIsNull() throws MalformedFileException {
        assertNull(Pickle.load(PickleBytes.proto(2).op('N').op('.').raw("garbage").build(), "trailing.pkl"));
        assertEquals(List.of(), Pickle.load(PickleBytes.proto(2).op(']').op('(').op('0').stop(), "pop-mark.pkl")); // POP of an empty frame drops the MARK
    }

    @Test
    void anArrayPlaceholderNeverBuiltStaysInert() throws MalformedFileException {
        byte[] pickle = PickleBytes.proto(2).global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").integer(0).op(0x85)
                .shortBytes(new byte[] {'b'}).op(0x87).op('R').stop();
        PyObject array = (PyObject) Pickle.load(pickle, "unbuilt.pkl");
        assertEquals(new PyGlobal("numpy", "ndarray"), array.type());
        assertSame(null, array.state());
    }

    @Test
    void filesOverTheLimitAreRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.pkl");
        Files.write(file, PickleBytes.proto(2).str("x".repeat(200)).stop());
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Pickle.load(file, 100));
        assertEquals(file + " is larger than the limit of 100 bytes", e.getMessage());
        assertEquals("x".repeat(200), Pickle.load(file));
    }

    private static void assertRefused(String expected, byte[] pickle) {
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Pickle.load(pickle, "hostile.pkl"), expected);
        assertTrue(e.getMessage().startsWith("hostile.pkl: ") && e.getMessage().contains(expected), "expected «" + expected + "» in «" + e.getMessage() + "»");
    }
}
