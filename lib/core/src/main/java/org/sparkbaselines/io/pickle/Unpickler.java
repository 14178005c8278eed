package org.sparkbaselines.io.pickle;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;

/**
 * The pickle virtual machine of {@link Pickle}: runs the opcodes of protocols 0 to 5 over bytes already
 * in memory, building plain values, numpy arrays and inert {@link PyObject} placeholders. One instance
 * reads one pickle.
 *
 * <p>It follows CPython's {@code pickle.py} opcode by opcode, except that a global is never imported:
 * calling one either evaluates a whitelisted pure data operation ({@code OrderedDict}, {@code set},
 * {@code numpy.dtype}, numpy array reconstruction, ...) or records the call in a placeholder. Every
 * length in the stream is checked against the bytes remaining before anything is allocated, the stack
 * and mark stack are bounded, dict keys must be small hashable values, and nothing recurses over the
 * data, so a hostile or corrupt stream ends in a one-line {@link MalformedFileException}.
 */
final class Unpickler {
    /** Bound on the stack (and on the mark stack): real pickles stay in the thousands. */
    static final int MAX_STACK_ENTRIES = 1_000_000;
    private static final int HIGHEST_PROTOCOL = 5;
    /** A dict key or set element may be a tuple of at most this many items in all (keeps hashing it cheap and shallow). */
    private static final int MAX_KEY_ITEMS = 256;
    private static final int MAX_KEY_INT_BITS = 4096;

    /** The opcodes, by their byte. */
    private enum Op {
        MARK('('), STOP('.'), POP('0'), POP_MARK('1'), DUP('2'), FLOAT('F'), INT('I'), BININT('J'), BININT1('K'), LONG('L'),
        BININT2('M'), NONE('N'), PERSID('P'), BINPERSID('Q'), REDUCE('R'), STRING('S'), BINSTRING('T'), SHORT_BINSTRING('U'),
        UNICODE('V'), BINUNICODE('X'), APPEND('a'), BUILD('b'), GLOBAL('c'), DICT('d'), EMPTY_DICT('}'), APPENDS('e'), GET('g'),
        BINGET('h'), INST('i'), LONG_BINGET('j'), LIST('l'), EMPTY_LIST(']'), OBJ('o'), PUT('p'), BINPUT('q'), LONG_BINPUT('r'),
        SETITEM('s'), TUPLE('t'), EMPTY_TUPLE(')'), SETITEMS('u'), BINFLOAT('G'),
        // protocol 2
        PROTO(0x80), NEWOBJ(0x81), EXT1(0x82), EXT2(0x83), EXT4(0x84), TUPLE1(0x85), TUPLE2(0x86), TUPLE3(0x87), NEWTRUE(0x88),
        NEWFALSE(0x89), LONG1(0x8a), LONG4(0x8b),
        // protocol 3
        BINBYTES('B'), SHORT_BINBYTES('C'),
        // protocol 4
        SHORT_BINUNICODE(0x8c), BINUNICODE8(0x8d), BINBYTES8(0x8e), EMPTY_SET(0x8f), ADDITEMS(0x90), FROZENSET(0x91),
        NEWOBJ_EX(0x92), STACK_GLOBAL(0x93), MEMOIZE(0x94), FRAME(0x95),
        // protocol 5
        BYTEARRAY8(0x96), NEXT_BUFFER(0x97), READONLY_BUFFER(0x98);

        private static final Op[] BY_CODE = new Op[256];

        static {
            for (Op op : values()) {
                BY_CODE[op.code] = op;
            }
        }

        private final int code;

        Op(int code) {
            this.code = code;
        }
    }

    private final byte[] in;
    private final String source;
    private int pos;
    /** Where the current opcode starts, and which it is: for error messages. */
    private int opStart;
    private Op op;

    private final List<Object> stack = new ArrayList<>();
    /** Stack sizes at each MARK; as in Python 3, the values below the top mark are out of reach. */
    private int[] marks = new int[16];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();
    /**
     * The memo keys of numpy arrays not built yet: BUILD replaces the placeholder on the stack and under
     * these keys by the {@link NdArray} (numpy fills the array in place; we make a new value).
     */
    private final Map<PyObject, List<Long>> unbuiltArrayKeys = new IdentityHashMap<>();

    Unpickler(byte[] in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Runs the pickle up to its STOP and returns the value it left; bytes after the STOP are ignored, as Python does. */
    Object load() throws MalformedFileException {
        while (true) {
            if (pos >= in.length) {
                throw fail("truncated: the pickle ends at offset " + in.length + " without a STOP opcode");
            }
            opStart = pos;
            int code = in[pos++] & 0xff;
            op = Op.BY_CODE[code];
            if (op == null) {
                throw fail(String.format("unknown pickle opcode 0x%02x at offset %d", code, opStart));
            }
            if (op == Op.STOP) {
                return pop();
            }
            try {
                execute();
            } catch (IllegalArgumentException e) {
                throw failHere(e.getMessage());
            }
        }
    }

    private void execute() throws MalformedFileException {
        switch (op) {
            case PROTO -> {
                int protocol = u8();
                if (protocol > HIGHEST_PROTOCOL) {
                    throw failHere("unsupported pickle protocol " + protocol);
                }
            }
            case FRAME -> claimedLength(u64()); // a hint for buffering: checked, then read through
            case MARK -> mark();
            case POP -> {
                if (stack.size() > frameStart()) {
                    stack.remove(stack.size() - 1);
                } else {
                    popMark(); // Python's POP discards an empty mark frame
                }
            }
            case POP_MARK -> popMark();
            case DUP -> push(peek());
            case NONE -> push(null);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case INT -> {
                String text = PickleText.ascii(line());
                // Protocol 0 spells the bools I01 and I00.
                push(text.equals("01") ? Boolean.TRUE : text.equals("00") ? Boolean.FALSE : PickleText.parseInt(text));
            }
            case BININT -> push((long) i32());
            case BININT1 -> push((long) u8());
            case BININT2 -> push((long) u16());
            case LONG -> {
                String text = PickleText.ascii(line());
                push(PickleText.parseInt(text.endsWith("L") ? text.substring(0, text.length() - 1) : text));
            }
            case LONG1 -> push(littleEndianInteger(u8()));
            case LONG4 -> push(littleEndianInteger(nonNegative(i32())));
            case FLOAT -> push(PickleText.parseFloat(PickleText.ascii(line())));
            case BINFLOAT -> {
                need(8);
                push(ByteBuffer.wrap(in, pos, 8).order(ByteOrder.BIG_ENDIAN).getDouble());
                pos += 8;
            }
            // Python 2 str: decoded as latin-1, as pickle.load(encoding='latin1') does, so numpy data survives.
            case STRING -> push(new String(PickleText.unquoteString(line()), StandardCharsets.ISO_8859_1));
            case BINSTRING -> push(new String(bytes(nonNegative(i32())), StandardCharsets.ISO_8859_1));
            case SHORT_BINSTRING -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
            case BINBYTES -> push(bytes(u32()));
            case SHORT_BINBYTES -> push(bytes(u8()));
            case BINBYTES8, BYTEARRAY8 -> push(bytes(u64()));
            case UNICODE -> push(PickleText.rawUnicodeEscape(line()));
            case BINUNICODE -> push(utf8(bytes(u32())));
            case SHORT_BINUNICODE -> push(utf8(bytes(u8())));
            case BINUNICODE8 -> push(utf8(bytes(u64())));
            case EMPTY_LIST -> push(new ArrayList<>());
            case LIST -> push(popMark());
            case EMPTY_TUPLE -> push(PyTuple.of());
            case TUPLE -> push(new PyTuple(popMark()));
            case TUPLE1 -> push(new PyTuple(popItems(1)));
            case TUPLE2 -> push(new PyTuple(popItems(2)));
            case TUPLE3 -> push(new PyTuple(popItems(3)));
            case EMPTY_DICT -> push(new LinkedHashMap<>());
            case DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, popMark());
                push(dict);
            }
            case EMPTY_SET -> push(new LinkedHashSet<>());
            case FROZENSET -> push(setOf(popMark()));
            case APPEND -> {
                Object value = pop();
                listOnTop().add(value);
            }
            case APPENDS -> {
                List<Object> items = popMark();
                listOnTop().addAll(items);
            }
            case SETITEM -> {
                Object value = pop();
                Object key = pop();
                dictOnTop().put(hashable(key, "a dict key"), value);
            }
            case SETITEMS -> {
                List<Object> items = popMark();
                putPairs(dictOnTop(), items);
            }
            case ADDITEMS -> {
                List<Object> items = popMark();
                Set<Object> set = setOnTop();
                for (Object item : items) {
                    set.add(hashable(item, "a set element"));
                }
            }
            case GLOBAL -> push(new PyGlobal(utf8(line()), utf8(line())));
            case STACK_GLOBAL -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw failHere("STACK_GLOBAL needs two str, got " + typeName(module) + " and " + typeName(name));
                }
                push(new PyGlobal(m, n));
            }
            case REDUCE -> {
                Object args = pop();
                Object callee = pop();
                push(call(callee, tupleItems(args, "arguments")));
            }
            case NEWOBJ -> {
                Object args = pop();
                Object cls = pop();
                push(newObject(cls, tupleItems(args, "arguments"), Map.of()));
            }
            case NEWOBJ_EX -> {
                Object kwargs = pop();
                Object args = pop();
                Object cls = pop();
                push(newObject(cls, tupleItems(args, "arguments"), keywordArguments(kwargs)));
            }
            case OBJ -> {
                List<Object> items = popMark();
                if (items.isEmpty()) {
                    throw failHere("stack underflow: OBJ needs a class after the MARK");
                }
                Object cls = items.remove(0);
                push(call(cls, items));
            }
            case INST -> {
                PyGlobal cls = new PyGlobal(utf8(line()), utf8(line()));
                push(call(cls, popMark()));
            }
            case BUILD -> {
                Object state = pop();
                build(peek(), state);
            }
            case PUT -> memoize(memoKey(line()));
            case BINPUT -> memoize(u8());
            case LONG_BINPUT -> memoize(u32());
            case MEMOIZE -> memoize(memo.size());
            case GET -> push(recall(memoKey(line())));
            case BINGET -> push(recall(u8()));
            case LONG_BINGET -> push(recall(u32()));
            case PERSID, BINPERSID -> throw fail("persistent IDs are refused: " + at() + " refers to an object outside the pickle");
            case EXT1, EXT2, EXT4 -> throw fail("extension codes are refused: " + at() + " names a global through the copyreg registry");
            case NEXT_BUFFER -> throw fail("out-of-band buffers are not supported: " + at() + " refers to data outside the pickle");
            case READONLY_BUFFER -> {
                if (!(peek() instanceof byte[])) {
                    throw failHere("READONLY_BUFFER needs bytes on the stack, not " + typeName(peek()));
                }
            }
            case STOP -> throw new AssertionError("STOP is handled by load()");
        }
    }

    // ---- calls: whitelisted data operations, otherwise placeholders

    /** REDUCE, OBJ, INST: {@code callee(*args)}. */
    private Object call(Object callee, List<Object> args) throws MalformedFileException {
        if (callee instanceof PyObject) {
            return new PyObject(callee, args, Map.of()); // cloudpickle calls placeholders, e.g. _builtin_type('CodeType')(...)
        }
        if (!(callee instanceof PyGlobal global)) {
            throw failHere(op + " calls " + typeName(callee) + ", which is neither a global nor a placeholder");
        }
        String name = canonicalName(global);
        return switch (name) {
            case "builtins.set", "builtins.frozenset" -> setOf(iterable(name, args));
            case "builtins.list" -> new ArrayList<>(iterable(name, args));
            case "builtins.tuple" -> new PyTuple(new ArrayList<>(iterable(name, args)));
            case "builtins.dict", "collections.OrderedDict" -> dictOf(name, args);
            case "builtins.bytes", "builtins.bytearray", "_codecs.encode" -> bytesOf(name, args);
            case "numpy.dtype" -> {
                if (args.isEmpty() || !(args.get(0) instanceof String)) {
                    throw failHere("numpy.dtype needs a type string such as 'f4', got " + PyRepr.of(new PyTuple(args)));
                }
                yield new PyObject(global, args, Map.of());
            }
            case "numpy.core.multiarray._reconstruct" -> {
                // _reconstruct(ndarray, (0,), b'b') makes an empty array that BUILD then fills.
                if (args.size() == 3 && args.get(0) instanceof PyGlobal cls && canonicalName(cls).equals("numpy.ndarray")) {
                    yield new PyObject(cls, args.subList(1, 3), Map.of());
                }
                yield new PyObject(global, args, Map.of()); // an ndarray subclass: inert like any other object
            }
            case "numpy.core.multiarray.scalar" -> NumpyValues.scalar(args);
            case "numpy.core.numeric._frombuffer" -> NumpyValues.fromBuffer(args);
            case "copyreg._reconstructor" -> {
                // _reconstructor(cls, base, state): an object of cls, made by base.__new__.
                if (args.size() != 3 || !(args.get(0) instanceof PyGlobal || args.get(0) instanceof PyObject)) {
                    throw failHere("copyreg._reconstructor needs (class, base, state), got " + PyRepr.of(new PyTuple(args)));
                }
                yield new PyObject(args.get(0), args.subList(1, 3), Map.of());
            }
            case "copyreg.__newobj__" -> {
                if (args.isEmpty()) {
                    throw failHere("copyreg.__newobj__ needs a class");
                }
                yield newObject(args.get(0), args.subList(1, args.size()), Map.of());
            }
            case "copyreg.__newobj_ex__" -> {
                if (args.size() != 3) {
                    throw failHere("copyreg.__newobj_ex__ needs (class, args, kwargs)");
                }
                yield newObject(args.get(0), tupleItems(args.get(1), "arguments"), keywordArguments(args.get(2)));
            }
            default -> new PyObject(global, args, Map.of());
        };
    }

    /** NEWOBJ, NEWOBJ_EX: {@code cls.__new__(cls, *args, **kwargs)}, which for the builtin containers is an empty one. */
    private Object newObject(Object cls, List<Object> args, Map<String, Object> kwargs) throws MalformedFileException {
        if (cls instanceof PyGlobal global && kwargs.isEmpty()) {
            switch (canonicalName(global)) {
                case "builtins.list":
                    return new ArrayList<>();
                case "builtins.dict", "collections.OrderedDict":
                    return new LinkedHashMap<>();
                case "builtins.set":
                    return new LinkedHashSet<>();
                case "builtins.tuple", "builtins.frozenset":
                    return call(cls, args); // immutable: __new__ takes the items
                default:
                    break;
            }
        }
        if (!(cls instanceof PyGlobal || cls instanceof PyObject)) {
            throw failHere(op + " instantiates " + typeName(cls) + ", which is neither a global nor a placeholder");
        }
        return new PyObject(cls, args, kwargs);
    }

    /** BUILD: a placeholder keeps the state; a numpy array placeholder becomes the {@link NdArray} the state describes. */
    private void build(Object target, Object state) throws MalformedFileException {
        if (!(target instanceof PyObject object)) {
            throw failHere("BUILD sets the state of " + typeName(target) + ", which only an object placeholder has");
        }
        if (!canonicalName(object.type()).equals("numpy.ndarray")) {
            object.build(state);
            return;
        }
        NdArray array = NumpyValues.fromState(state);
        stack.set(stack.size() - 1, array);
        for (long key : unbuiltArrayKeys.getOrDefault(object, List.of())) {
            if (memo.get(key) == object) {
                memo.put(key, array);
            }
        }
        unbuiltArrayKeys.remove(object);
    }

    /** The items of the one iterable argument of {@code set(...)}, {@code list(...)}, {@code tuple(...)}. */
    @SuppressWarnings("unchecked")
    private Collection<Object> iterable(String callee, List<Object> args) throws MalformedFileException {
        if (args.isEmpty()) {
            return List.of();
        }
        if (args.size() == 1) {
            Object items = args.get(0);
            if (items instanceof PyTuple tuple) {
                return tuple.items();
            }
            if (items instanceof List<?> || items instanceof Set<?>) {
                return (Collection<Object>) items;
            }
            if (items instanceof Map<?, ?> map) {
                return (Collection<Object>) map.keySet();
            }
        }
        throw failHere(callee + " needs one list, tuple, set or dict, got " + PyRepr.of(new PyTuple(args)));
    }

    private Set<Object> setOf(Collection<Object> items) throws MalformedFileException {
        Set<Object> set = new LinkedHashSet<>();
        for (Object item : items) {
            set.add(hashable(item, "a set element"));
        }
        return set;
    }

    /** {@code dict()}, {@code dict(mapping)}, {@code dict(pairs)}, and the same for {@code OrderedDict}. */
    private Map<Object, Object> dictOf(String callee, List<Object> args) throws MalformedFileException {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.isEmpty()) {
            return dict;
        }
        if (args.size() == 1 && args.get(0) instanceof Map<?, ?> map) {
            dict.putAll(map); // its keys were checked when it was filled
            return dict;
        }
        List<?> pairs = args.size() == 1 ? (args.get(0) instanceof PyTuple t ? t.items() : args.get(0) instanceof List<?> l ? l : null) : null;
        if (pairs == null) {
            throw failHere(callee + " needs a dict or a list of pairs, got " + PyRepr.of(new PyTuple(args)));
        }
        for (Object pair : pairs) {
            List<?> kv = pair instanceof PyTuple t ? t.items() : pair instanceof List<?> l ? l : null;
            if (kv == null || kv.size() != 2) {
                throw failHere(callee + " needs (key, value) pairs, got " + PyRepr.of(pair));
            }
            dict.put(hashable(kv.get(0), "a dict key"), kv.get(1));
        }
        return dict;
    }

    /** {@code bytes(b'..')}, {@code bytearray('..', 'latin-1')}, {@code _codecs.encode('..', 'latin1')}: how protocol 2 writes bytes. */
    private byte[] bytesOf(String callee, List<Object> args) throws MalformedFileException {
        boolean encode = callee.equals("_codecs.encode");
        if (!encode && args.isEmpty()) {
            return new byte[0];
        }
        if (!encode && args.size() == 1 && args.get(0) instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (args.size() == 2 && args.get(0) instanceof String text && args.get(1) instanceof String encoding
                && List.of("latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1").contains(encoding.toLowerCase(java.util.Locale.ROOT))) {
            return latin1(text, callee + "'s text");
        }
        throw failHere(callee + " is evaluated only for bytes or (str, 'latin1'), got " + PyRepr.of(new PyTuple(args)));
    }

    // ---- values

    /** Checks that {@code key} can be a dict key or set element: a small immutable value (tuples of them, globals, placeholders). */
    private Object hashable(Object key, String what) throws MalformedFileException {
        List<Object> todo = new ArrayList<>();
        todo.add(key);
        int budget = MAX_KEY_ITEMS;
        while (!todo.isEmpty()) {
            Object item = todo.remove(todo.size() - 1);
            if (item instanceof PyTuple tuple) {
                budget -= tuple.size();
                if (budget < 0) {
                    throw failHere(what + " may be a tuple of at most " + MAX_KEY_ITEMS + " items in all");
                }
                todo.addAll(tuple.items());
            } else if (item instanceof BigInteger big && big.bitLength() > MAX_KEY_INT_BITS) {
                throw failHere(what + " may be an int of at most " + MAX_KEY_INT_BITS + " bits");
            } else if (!(item == null || item instanceof Boolean || item instanceof Long || item instanceof BigInteger || item instanceof Double
                    || item instanceof String || item instanceof PyGlobal || item instanceof PyObject)) {
                throw failHere(what + " must be hashable (None, bool, int, float, str, or a tuple of them), not " + typeName(item));
            }
        }
        return key;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) throws MalformedFileException {
        if (items.size() % 2 != 0) {
            throw failHere(op + " needs keys and values in pairs but has an odd number of items, " + items.size());
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(hashable(items.get(i), "a dict key"), items.get(i + 1));
        }
    }

    private List<Object> tupleItems(Object value, String what) throws MalformedFileException {
        if (!(value instanceof PyTuple tuple)) {
            throw failHere(op + " " + what + " must be a tuple, not " + typeName(value));
        }
        return tuple.items();
    }

    private Map<String, Object> keywordArguments(Object value) throws MalformedFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw failHere(op + " keyword arguments must be a dict, not " + typeName(value));
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw failHere(op + " keyword names must be str, not " + typeName(entry.getKey()));
            }
            kwargs.put(name, entry.getValue());
        }
        return kwargs;
    }

    // The containers APPEND, SETITEM and ADDITEMS fill: only the reader's own lists, dicts and sets are on the stack.

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop() throws MalformedFileException {
        return (List<Object>) containerOnTop(List.class, "a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop() throws MalformedFileException {
        return (Map<Object, Object>) containerOnTop(Map.class, "a dict");
    }

    @SuppressWarnings("unchecked")
    private Set<Object> setOnTop() throws MalformedFileException {
        return (Set<Object>) containerOnTop(Set.class, "a set");
    }

    private Object containerOnTop(Class<?> type, String what) throws MalformedFileException {
        Object target = peek();
        if (!type.isInstance(target)) {
            throw failHere(op + " needs " + what + " on the stack, not " + typeName(target));
        }
        return target;
    }

    private Object littleEndianInteger(int length) throws MalformedFileException {
        byte[] bytes = bytes(length);
        if (length == 0) {
            return 0L;
        }
        byte[] bigEndian = new byte[length];
        for (int i = 0; i < length; i++) {
            bigEndian[i] = bytes[length - 1 - i];
        }
        return PickleText.integer(new BigInteger(bigEndian)); // two's complement, as pickle encodes it
    }

    // ---- memo

    private void memoize(long key) throws MalformedFileException {
        Object value = peek();
        memo.put(key, value);
        if (value instanceof PyObject object && object.state() == null && canonicalName(object.type()).equals("numpy.ndarray")) {
            unbuiltArrayKeys.computeIfAbsent(object, o -> new ArrayList<>()).add(key);
        }
    }

    private Object recall(long key) throws MalformedFileException {
        if (!memo.containsKey(key)) {
            throw fail("memo key " + key + " missing: " + at() + " refers to a value never stored");
        }
        return memo.get(key);
    }

    private long memoKey(byte[] line) throws MalformedFileException {
        Object key = PickleText.parseInt(PickleText.ascii(line));
        if (!(key instanceof Long k) || k < 0) {
            throw failHere("memo key " + PyRepr.of(key) + " is not a non-negative int");
        }
        return k;
    }

    // ---- stack

    private int frameStart() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void push(Object value) throws MalformedFileException {
        if (stack.size() >= MAX_STACK_ENTRIES) {
            throw failHere("the stack grew past " + MAX_STACK_ENTRIES + " values");
        }
        stack.add(value);
    }

    private Object pop() throws MalformedFileException {
        Object value = peek();
        stack.remove(stack.size() - 1);
        return value;
    }

    private Object peek() throws MalformedFileException {
        if (stack.size() <= frameStart()) {
            throw fail("stack underflow in " + at());
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popItems(int count) throws MalformedFileException {
        if (stack.size() - frameStart() < count) {
            throw fail("stack underflow in " + at());
        }
        List<Object> top = stack.subList(stack.size() - count, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private void mark() throws MalformedFileException {
        if (markCount >= MAX_STACK_ENTRIES) {
            throw failHere("more than " + MAX_STACK_ENTRIES + " nested MARKs");
        }
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = stack.size();
    }

    /** The values pushed since the last MARK (a new list), removing them and the mark. */
    private List<Object> popMark() throws MalformedFileException {
        if (markCount == 0) {
            throw fail("MARK missing: " + at() + " needs a MARK on the stack");
        }
        return popItems(stack.size() - marks[--markCount]);
    }

    // ---- reading the stream

    private void need(int count) throws MalformedFileException {
        if (count > in.length - pos) {
            throw fail("truncated: " + at() + " needs " + count + " bytes but only " + (in.length - pos) + " remain");
        }
    }

    /** A length read from the stream, checked against the bytes remaining ({@code length} is unsigned). */
    private int claimedLength(long length) throws MalformedFileException {
        int remaining = in.length - pos;
        if (length < 0 || length > remaining) {
            throw fail(op + " claims " + Long.toUnsignedString(length) + " bytes at offset " + opStart + " but only " + remaining + " remain");
        }
        return (int) length;
    }

    private byte[] bytes(long length) throws MalformedFileException {
        int count = claimedLength(length);
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + count);
        pos += count;
        return bytes;
    }

    /** A protocol 0 argument: the bytes up to the next newline, which is consumed. */
    private byte[] line() throws MalformedFileException {
        for (int end = pos; end < in.length; end++) {
            if (in[end] == '\n') {
                byte[] line = Arrays.copyOfRange(in, pos, end);
                pos = end + 1;
                return line;
            }
        }
        throw fail("truncated: " + at() + " has no end of line");
    }

    private int u8() throws MalformedFileException {
        need(1);
        return in[pos++] & 0xff;
    }

    private int u16() throws MalformedFileException {
        need(2);
        int value = ByteBuffer.wrap(in, pos, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        pos += 2;
        return value;
    }

    private int i32() throws MalformedFileException {
        need(4);
        int value = ByteBuffer.wrap(in, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        pos += 4;
        return value;
    }

    private long u32() throws MalformedFileException {
        return Integer.toUnsignedLong(i32());
    }

    /** An unsigned 64-bit length; values from 2^63 come back negative, which {@link #claimedLength} refuses. */
    private long u64() throws MalformedFileException {
        need(8);
        long value = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        pos += 8;
        return value;
    }

    private int nonNegative(int length) throws MalformedFileException {
        if (length < 0) {
            throw failHere(op + " claims a negative length, " + length);
        }
        return length;
    }

    private String utf8(byte[] bytes) throws MalformedFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw failHere("invalid UTF-8 text");
        }
    }

    // ---- naming

    private String at() {
        return op + " at offset " + opStart;
    }

    private MalformedFileException fail(String problem) {
        return new MalformedFileException(source + ": " + problem);
    }

    /** {@code problem}, followed by the current opcode and its offset. */
    private MalformedFileException failHere(String problem) {
        return fail(problem + " (" + at() + ")");
    }

    /**
     * The name a global is known by in Python 3 and numpy 1: Python 2's {@code __builtin__} and
     * {@code copy_reg} and numpy 2's {@code numpy._core} are mapped to their counterparts.
     */
    static String canonicalName(PyGlobal global) {
        String module = switch (global.module()) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> global.module();
        };
        if (module.equals("numpy._core") || module.startsWith("numpy._core.")) {
            module = "numpy.core" + module.substring("numpy._core".length());
        }
        return module + "." + global.name();
    }

    /** The Python type of a loaded value, for messages: {@code int}, {@code list}, {@code placeholder gym.spaces.box.Box}, ... */
    static String typeName(Object value) {
        if (value == null) {
            return "None";
        } else if (value instanceof Boolean) {
            return "a bool";
        } else if (value instanceof Long || value instanceof BigInteger) {
            return "an int";
        } else if (value instanceof Double) {
            return "a float";
        } else if (value instanceof String) {
            return "a str";
        } else if (value instanceof byte[]) {
            return "bytes";
        } else if (value instanceof PyTuple) {
            return "a tuple";
        } else if (value instanceof List<?>) {
            return "a list";
        } else if (value instanceof Map<?, ?>) {
            return "a dict";
        } else if (value instanceof Set<?>) {
            return "a set";
        } else if (value instanceof NdArray) {
            return "a numpy array";
        } else if (value instanceof PyGlobal global) {
            return "the global " + global;
        } else if (value instanceof PyObject object) {
            return "a " + object.type() + " placeholder";
        }
        return value.getClass().getSimpleName();
    }

    /** The latin-1 bytes of {@code text}, whose characters must all be below 256. */
    static byte[] latin1(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw new IllegalArgumentException(what + " has a character beyond latin-1 (U+" + Integer.toHexString(text.charAt(i)).toUpperCase() + ")");
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
