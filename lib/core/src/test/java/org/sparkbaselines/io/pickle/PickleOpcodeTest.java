package org.sparkbaselines.io.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;

/**
 * Values through every protocol: pickles written by CPython 3.11 / numpy 2.4 (embedded as hex) and
 * hand-assembled opcode sequences.
 */
class PickleOpcodeTest {
    /**
     * {@code pickle.dumps(V, protocol=P)} for P = 0, 2, 4 with
     * {@code V = [0, -1, 255, 65536, -2**31, 2**31, 2**63, -2**70, 1.5, -0.0, inf, 'tab\t quote\' backslash\\ é ☃ 😀',
     * b'\x00\xffab', (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), {'k': [None, True, False]}, {1, 2}, frozenset(),
     * bytearray(b'xy'), OrderedDict([('a', 1), ('b', 2)])]}.
     */
    private static final String PLAIN_VALUES_PROTOCOL_0 = """
            286c70300a49300a61492d310a61493235350a614936353533360a61492d323134373438333634380a614c323134373438333634384c0a614c39323233
            3337323033363835343737353830384c0a614c2d313138303539313632303731373431313330333432344c0a6146312e350a61462d302e300a614669
            6e660a6156746162092071756f746527206261636b736c6173685c753030356320e9205c7532363033205c5530303031663630300a70310a61635f63
            6f646563730a656e636f64650a70320a28565c7530303030ff61620a70330a566c6174696e310a70340a7470350a5270360a612874612849310a7470
            370a612849310a49320a7470380a612849310a49320a49330a7470390a612849310a49320a49330a49340a747031300a6128647031310a566b0a7031
            320a286c7031330a4e614930310a614930300a617361635f5f6275696c74696e5f5f0a7365740a7031340a28286c7031350a49310a6149320a617470
            31360a527031370a61635f5f6275696c74696e5f5f0a66726f7a656e7365740a7031380a28286c7031390a747032300a527032310a61635f5f627569
            6c74696e5f5f0a6279746561727261790a7032320a2867320a285678790a7032330a67340a747032340a527032350a747032360a527032370a616363
            6f6c6c656374696f6e730a4f726465726564446963740a7032380a2874527032390a56610a7033300a49310a7356620a7033310a49320a73612e""";
    private static final String PLAIN_VALUES_PROTOCOL_2 = """
            80025d7100284b004affffffff4bff4a000001004a000000808a0500000080008a090000000000000080008a090000000000000000c0473ff8000000
            000000478000000000000000477ff00000000000005822000000746162092071756f746527206261636b736c6173685c20c3a920e2988320f09f9880
            7101635f636f646563730a656e636f64650a7102580500000000c3bf6162710358060000006c6174696e317104867105527106294b018571074b014b
            028671084b014b024b03877109284b014b024b034b0474710a7d710b58010000006b710c5d710d284e88896573635f5f6275696c74696e5f5f0a7365
            740a710e5d710f284b014b0265857110527111635f5f6275696c74696e5f5f0a66726f7a656e7365740a71125d7113857114527115635f5f6275696c
            74696e5f5f0a6279746561727261790a71166802580200000078797117680486711852711985711a52711b63636f6c6c656374696f6e730a4f726465
            726564446963740a711c2952711d28580100000061711e4b01580100000062711f4b0275652e""";
    private static final String PLAIN_VALUES_PROTOCOL_4 = """
            80049504010000000000005d94284b004affffffff4bff4a000001004a000000808a0500000080008a090000000000000080008a0900000000000000
            00c0473ff8000000000000478000000000000000477ff00000000000008c22746162092071756f746527206261636b736c6173685c20c3a920e29883
            20f09f988094430400ff616294294b0185944b014b0286944b014b024b038794284b014b024b034b0474947d948c016b945d94284e888965738f9428
            4b014b02902891948c086275696c74696e73948c096279746561727261799493944302787994859452948c0b636f6c6c656374696f6e73948c0b4f72
            646572656444696374949394295294288c0161944b018c0162944b0275652e""";

    /**
     * {@code pickle.dumps(V, protocol=P)} for P = 0, 2, 4, 5 with numpy 2.4 and
     * {@code a = np.array([[1,2,3],[4,5,6]], dtype='>i4', order='F'); b = np.array([1.5,-2.25], '<f8');
     * V = [a, b, np.array([0,255,7], np.uint8), np.array([True,False]), np.array([-2,300], '<i2'),
     * np.array([4000000000], '<u4'), np.float32(0.5), b, np.int64(-3), np.bool_(True)]}:
     * big-endian Fortran order, memoized arrays, latin-1 text data (protocols 0 and 2) and
     * {@code _frombuffer} (protocol 5), under numpy 2's module names.
     */
    private static final String NUMPY_PROTOCOL_0 = """
            286c70300a636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a70310a28636e756d70790a6e646172726179
            0a70320a2849300a7470330a635f636f646563730a656e636f64650a70340a2856620a70350a566c6174696e310a70360a7470370a5270380a747039
            0a527031300a2849310a2849320a49330a747031310a636e756d70790a64747970650a7031320a285669340a7031330a4930300a4930310a74703134
            0a527031350a2849330a563e0a7031360a4e4e4e492d310a492d310a49300a747031370a624930310a67340a28565c75303030305c75303030305c75
            30303030015c75303030305c75303030305c7530303030045c75303030305c75303030305c7530303030025c75303030305c75303030305c75303030
            30055c75303030305c75303030305c7530303030035c75303030305c75303030305c7530303030060a7031380a67360a747031390a527032300a7470
            32310a626167310a2867320a2849300a747032320a67380a747032330a527032340a2849310a2849320a747032350a6731320a285666380a7032360a
            4930300a4930310a747032370a527032380a2849330a563c0a7032390a4e4e4e492d310a492d310a49300a747033300a624930300a67340a28565c75
            303030305c75303030305c75303030305c75303030305c75303030305c7530303030f83f5c75303030305c75303030305c75303030305c7530303030
            5c75303030305c753030303002c00a7033310a67360a747033320a527033330a747033340a626167310a2867320a2849300a747033350a67380a7470
            33360a527033370a2849310a2849330a747033380a6731320a285675310a7033390a4930300a4930310a747034300a527034310a2849330a567c0a70
            34320a4e4e4e492d310a492d310a49300a747034330a624930300a67340a28565c7530303030ff070a7034340a67360a747034350a527034360a7470
            34370a626167310a2867320a2849300a747034380a67380a747034390a527035300a2849310a2849320a747035310a6731320a285662310a7035320a
            4930300a4930310a747035330a527035340a2849330a6734320a4e4e4e492d310a492d310a49300a747035350a624930300a67340a2856015c753030
            30300a7035360a67360a747035370a527035380a747035390a626167310a2867320a2849300a747036300a67380a747036310a527036320a2849310a
            2849320a747036330a6731320a285669320a7036340a4930300a4930310a747036350a527036360a2849330a6732390a4e4e4e492d310a492d310a49
            300a747036370a624930300a67340a2856feff2c010a7036380a67360a747036390a527037300a747037310a626167310a2867320a2849300a747037
            320a67380a747037330a527037340a2849310a2849310a747037350a6731320a285675340a7037360a4930300a4930310a747037370a527037380a28
            49330a6732390a4e4e4e492d310a492d310a49300a747037390a624930300a67340a28565c7530303030286bee0a7038300a67360a747038310a5270
            38320a747038330a6261636e756d70792e5f636f72652e6d756c746961727261790a7363616c61720a7038340a286731320a285666340a7038350a49
            30300a4930310a747038360a527038370a2849330a6732390a4e4e4e492d310a492d310a49300a747038380a6267340a28565c75303030305c753030
            30305c75303030303f0a7038390a67360a747039300a527039310a747039320a527039330a616732340a616738340a286731320a285669380a703934
            0a4930300a4930310a747039350a527039360a2849330a6732390a4e4e4e492d310a492d310a49300a747039370a6267340a2856fdffffffffffffff
            0a7039380a67360a747039390a52703130300a74703130310a52703130320a616738340a286735340a67340a2856010a703130330a67360a74703130
            340a52703130350a74703130360a52703130370a612e""";
    private static final String NUMPY_PROTOCOL_2 = """
            80025d710028636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7101636e756d70790a6e6461727261790a
            71024b00857103635f636f646563730a656e636f64650a7104580100000062710558060000006c6174696e31710686710752710887710952710a284b
            014b024b0386710b636e756d70790a64747970650a710c58020000006934710d898887710e52710f284b0358010000003e71104e4e4e4affffffff4a
            ffffffff4b007471116288680458180000000000000100000004000000020000000500000003000000067112680686711352711474711562680168024b
            008571166808877117527118284b014b02857119680c58020000006638711a898887711b52711c284b0358010000003c711d4e4e4e4affffffff4aff
            ffffff4b0074711e628968045812000000000000000000c3b83f00000000000002c380711f680686712052712174712262680168024b008571236808
            877124527125284b014b03857126680c5802000000753171278988877128527129284b0358010000007c712a4e4e4e4affffffff4affffffff4b0074
            712b62896804580400000000c3bf07712c680686712d52712e74712f62680168024b008571306808877131527132284b014b02857133680c58020000
            00623171348988877135527136284b03682a4e4e4e4affffffff4affffffff4b0074713762896804580200000001007138680686713952713a74713b
            62680168024b0085713c680887713d52713e284b014b0285713f680c5802000000693271408988877141527142284b03681d4e4e4e4affffffff4aff
            ffffff4b00747143628968045806000000c3bec3bf2c017144680686714552714674714762680168024b00857148680887714952714a284b014b0185
            714b680c58020000007534714c898887714d52714e284b03681d4e4e4e4affffffff4affffffff4b0074714f62896804580500000000286bc3ae7150
            680686715152715274715362636e756d70792e5f636f72652e6d756c746961727261790a7363616c61720a7154680c5802000000663471558988877156
            527157284b03681d4e4e4e4affffffff4affffffff4b0074715862680458040000000000003f7159680686715a52715b86715c52715d68186854680c
            58020000006938715e898887715f527160284b03681d4e4e4e4affffffff4affffffff4b007471616268045810000000c3bdc3bfc3bfc3bfc3bfc3bf
            c3bfc3bf716268068671635271648671655271666854683668045801000000017167680686716852716986716a52716b652e""";
    private static final String NUMPY_PROTOCOL_4 = """
            80049587020000000000005d94288c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e75
            6d7079948c076e6461727261799493944b0085944301629487945294284b014b024b03869468048c0564747970659493948c02693494898887945294
            284b038c013e944e4e4e4affffffff4affffffff4b0074946288431800000001000000040000000200000005000000030000000694749462680368064b
            008594680887945294284b014b028594680d8c02663894898887945294284b038c013c944e4e4e4affffffff4affffffff4b00749462894310000000
            000000f83f00000000000002c094749462680368064b008594680887945294284b014b038594680d8c02753194898887945294284b038c017c944e4e
            4e4affffffff4affffffff4b0074946289430300ff0794749462680368064b008594680887945294284b014b028594680d8c02623194898887945294
            284b0368274e4e4e4affffffff4affffffff4b00749462894302010094749462680368064b008594680887945294284b014b028594680d8c02693294
            898887945294284b03681c4e4e4e4affffffff4affffffff4b00749462894304feff2c0194749462680368064b008594680887945294284b014b0185
            94680d8c02753494898887945294284b03681c4e4e4e4affffffff4affffffff4b0074946289430400286bee9474946268018c067363616c61729493
            94680d8c02663494898887945294284b03681c4e4e4e4affffffff4affffffff4b0074946243040000003f94869452946817684a680d8c0269389489
            8887945294284b03681c4e4e4e4affffffff4affffffff4b007494624308fdffffffffffffff9486945294684a68314301019486945294652e""";
    private static final String NUMPY_PROTOCOL_5 = """
            80059572020000000000005d94288c136e756d70792e5f636f72652e6e756d65726963948c0b5f66726f6d6275666665729493942896180000000000
            0000000000010000000400000002000000050000000300000006948c056e756d7079948c0564747970659493948c02693494898887945294284b038c
            013e944e4e4e4affffffff4affffffff4b007494624b024b0386948c01469474945294680328961000000000000000000000000000f83f0000000000
            0002c09468078c02663894898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494624b0285948c01439474945294680328960300
            00000000000000ff079468078c02753194898887945294284b038c017c944e4e4e4affffffff4affffffff4b007494624b0385946818749452946803
            2896020000000000000001009468078c02623194898887945294284b03681f4e4e4e4affffffff4affffffff4b007494624b02859468187494529468
            0328960400000000000000feff2c019468078c02693294898887945294284b0368154e4e4e4affffffff4affffffff4b007494624b02859468187494
            529468032896040000000000000000286bee9468078c02753494898887945294284b0368154e4e4e4affffffff4affffffff4b007494624b01859468
            18749452948c166e756d70792e5f636f72652e6d756c74696172726179948c067363616c617294939468078c02663494898887945294284b0368154e
            4e4e4affffffff4affffffff4b0074946243040000003f9486945294681a683e68078c02693894898887945294284b0368154e4e4e4affffffff4aff
            ffffff4b007494624308fdffffffffffffff9486945294683e68274301019486945294652e""";

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4})
    void plainValuesOfEveryProtocol(int protocol) throws MalformedFileException {
        String hex = switch (protocol) {
            case 0 -> PLAIN_VALUES_PROTOCOL_0;
            case 2 -> PLAIN_VALUES_PROTOCOL_2;
            default -> PLAIN_VALUES_PROTOCOL_4;
        };
        List<?> values = assertInstanceOf(ArrayList.class, Pickle.load(PickleBytes.hex(hex), "protocol " + protocol));
        assertEquals(23, values.size());
        assertEquals(List.of(0L, -1L, 255L, 65536L, -2147483648L, 2147483648L), values.subList(0, 6));
        assertEquals(BigInteger.TWO.pow(63), values.get(6));
        assertEquals(BigInteger.TWO.pow(70).negate(), values.get(7));
        assertEquals(List.of(1.5, -0.0, Double.POSITIVE_INFINITY), values.subList(8, 11));
        assertEquals("tab\t quote' backslash\\ é ☃ 😀", values.get(11));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'a', 'b'}, (byte[]) values.get(12));
        assertEquals(List.of(PyTuple.of(), PyTuple.of(1L), PyTuple.of(1L, 2L), PyTuple.of(1L, 2L, 3L), PyTuple.of(1L, 2L, 3L, 4L)),
                values.subList(13, 18));
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put("k", new ArrayList<>(Arrays.asList(null, true, false)));
        assertEquals(dict, values.get(18));
        assertEquals(new LinkedHashSet<>(List.of(1L, 2L)), assertInstanceOf(LinkedHashSet.class, values.get(19)));
        assertEquals(Set.of(), values.get(20));
        assertArrayEquals(new byte[] {'x', 'y'}, (byte[]) values.get(21));
        LinkedHashMap<?, ?> ordered = assertInstanceOf(LinkedHashMap.class, values.get(22));
        assertEquals(List.of("a", "b"), List.copyOf(ordered.keySet()));
        assertEquals(List.of(1L, 2L), List.copyOf(ordered.values()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4, 5})
    void numpyArraysOfEveryProtocol(int protocol) throws MalformedFileException {
        String hex = switch (protocol) {
            case 0 -> NUMPY_PROTOCOL_0;
            case 2 -> NUMPY_PROTOCOL_2;
            case 4 -> NUMPY_PROTOCOL_4;
            default -> NUMPY_PROTOCOL_5;
        };
        List<?> values = (List<?>) Pickle.load(PickleBytes.hex(hex), "numpy protocol " + protocol);
        assertEquals(10, values.size());
        // Big-endian and Fortran order in the file; C order here.
        assertEquals(NdArray.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 2, 3), values.get(0));
        assertEquals(NdArray.ofDoubles(new double[] {1.5, -2.25}, 2), values.get(1));
        assertEquals(NdArray.ofUnsignedBytes(new byte[] {0, (byte) 255, 7}, 3), values.get(2));
        assertEquals(NdArray.ofBooleans(new boolean[] {true, false}, 2), values.get(3));
        assertEquals(NdArray.ofInts(new int[] {-2, 300}, 2), values.get(4)); // int16 widened
        assertEquals(NdArray.ofLongs(new long[] {4_000_000_000L}, 1), values.get(5)); // uint32 widened
        assertEquals(0.5, values.get(6));
        if (protocol != 5) { // protocol 5 pickles the array twice rather than memoizing it
            assertSame(values.get(1), values.get(7));
        }
        assertEquals(values.get(1), values.get(7));
        assertEquals(-3L, values.get(8));
        assertEquals(true, values.get(9));
    }

    @Test
    void protocol0TextForms() throws MalformedFileException {
        // Python 2 style: STRING with escapes, UNICODE with raw-unicode-escape, INT/LONG/FLOAT text, PUT/GET, DICT, I01.
        byte[] pickle = PickleBytes.text("(lp0\nS'a\\n\\x00\\'q\\101\\\\z'\np1\naS\"dq\"\naVx\\u00e9\\U0001F600\\\\u0041\naI0x1F\naI-7\naL123456789012345678901234567890L\n"
                + "aF-1.25e-3\naFnan\naF-inf\naI01\naI00\nag1\na(S'k'\nI1\ndp2\nacos\npath\np3\na.").build();
        List<?> values = (List<?>) Pickle.load(pickle, "protocol 0");
        assertEquals("a\n\0'qA\\z", values.get(0));
        assertEquals("dq", values.get(1));
        assertEquals("xé😀\\\\u0041", values.get(2));
        assertEquals(31L, values.get(3));
        assertEquals(-7L, values.get(4));
        assertEquals(new BigInteger("123456789012345678901234567890"), values.get(5));
        assertEquals(-1.25e-3, values.get(6));
        assertTrue(Double.isNaN((Double) values.get(7)));
        assertEquals(Double.NEGATIVE_INFINITY, values.get(8));
        assertEquals(List.of(true, false), values.subList(9, 11));
        assertSame(values.get(0), values.get(11));
        assertEquals(Map.of("k", 1L), values.get(12));
        assertEquals(new PyGlobal("os", "path"), values.get(13));
        assertEquals("os.path", values.get(13).toString());
    }

    @Test
    void protocol1BinaryForms() throws MalformedFileException {
        // BINSTRING, SHORT_BINSTRING (Python 2 str as latin-1), BINUNICODE, EMPTY_TUPLE, POP, POP_MARK, DUP, LONG_BINPUT/GET, BININT2.
        byte[] pickle = new PickleBytes().op('(').op('T').i32(2).raw("\u00e9x").op('U').u8(1).raw("y").op('X').i32(2).raw("\u00c3\u00a9")
                .op('M').raw("\u0001\u0002").op(')').op('N').op('0').op('(').op('N').op('N').op('1').op('2').op('r').i32(70000)
                .op('j').i32(70000).op('l').stop();
        List<?> values = (List<?>) Pickle.load(pickle, "protocol 1");
        assertEquals(List.of("éx", "y", "é", 513L, PyTuple.of(), PyTuple.of(), PyTuple.of()), values);
    }

    @Test
    void protocol4SetsAndLongs() throws MalformedFileException {
        byte[] pickle = PickleBytes.proto(4).op(0x95).u64(30).op(0x8f).op('(').integer(3).str("a").op(0x90).op(']').op(0x94)
                .op('(').op(0x8a).u8(0).op(0x8a).u8(2).raw("\u00ff\u007f").op(0x8b).i32(1).raw("\u0080").op(0x8d).u64(1).raw("z")
                .op(0x8e).u64(1).raw("w").op(0x96).u64(0).op('e').op(0x86).op('(').op(0x88).op(0x91).op(0x86).stop();
        PyTuple top = (PyTuple) Pickle.load(pickle, "protocol 4");
        PyTuple first = (PyTuple) top.get(0);
        assertEquals(new LinkedHashSet<>(List.of(3L, "a")), first.get(0));
        List<?> list = (List<?>) first.get(1);
        assertEquals(List.of(0L, 32767L, -128L, "z"), list.subList(0, 4));
        assertArrayEquals(new byte[] {'w'}, (byte[]) list.get(4));
        assertArrayEquals(new byte[0], (byte[]) list.get(5));
        assertEquals(Set.of(true), top.get(1));
    }

    @Test
    void newObjExAndOrderedDictAsNewobj() throws MalformedFileException {
        byte[] pickle = PickleBytes.proto(4).stackGlobal("pkg.mod", "Thing").integer(1).op(0x85).op('}').str("scale").integer(2).op('s')
                .op(0x92).op(']').stackGlobal("collections", "OrderedDict").op(')').op(0x81).str("x").integer(5).op('s').op('a').op(0x86).stop();
        PyTuple top = (PyTuple) Pickle.load(pickle, "newobj_ex");
        PyObject thing = (PyObject) top.get(0);
        assertEquals(new PyGlobal("pkg.mod", "Thing"), thing.type());
        assertEquals(List.of(1L), thing.args());
        assertEquals(Map.of("scale", 2L), thing.kwargs());
        assertNull(thing.state());
        assertEquals(List.of(Map.of("x", 5L)), top.get(1));
    }

    @Test
    void copyregReconstructorAndPython2Names() throws MalformedFileException {
        byte[] pickle = PickleBytes.text("(ccopy_reg\n_reconstructor\n(cmymod\nMyClass\nc__builtin__\nobject\nNtR(dS'a'\nI1\nsb"
                + "c__builtin__\nset\n((lI1\natRc_codecs\nencode\n(S'\u00ff'\nS'latin1'\ntRt.").build();
        PyTuple top = (PyTuple) Pickle.load(pickle, "python 2");
        PyObject object = (PyObject) top.get(0);
        assertEquals(new PyGlobal("mymod", "MyClass"), object.type());
        assertEquals(Arrays.asList(new PyGlobal("__builtin__", "object"), null), object.args());
        assertEquals(1L, object.attribute("a"));
        assertEquals(Set.of(1L), top.get(1));
        assertArrayEquals(new byte[] {(byte) 0xff}, (byte[]) top.get(2));
    }

    @Test
    void buildMergesDictStatesAndKeepsOtherStates() throws MalformedFileException {
        byte[] pickle = PickleBytes.proto(2).global("m", "A").op(')').op(0x81).op('}').str("x").integer(1).op('s').op('b')
                .op('}').str("y").integer(2).op('s').op('b').global("m", "B").op(')').op('R').integer(7).op(0x85).op('b').op(0x86).stop();
        PyTuple top = (PyTuple) Pickle.load(pickle, "build");
        PyObject a = (PyObject) top.get(0);
        assertEquals(Map.of("x", 1L, "y", 2L), a.state());
        assertEquals(2L, a.attribute("y"));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<?, ?>) a.state()).clear());
        PyObject b = (PyObject) top.get(1);
        assertEquals(PyTuple.of(7L), b.state());
        assertNull(b.attribute("x"));
        assertEquals("<m.A() state={'x': 1, 'y': 2}>", a.toString());
        assertEquals("<m.B() state=(7,)>", b.toString());
    }

    @Test
    void handAssembledArrays() throws MalformedFileException {
        byte[] fortran = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // shape (2, 3, 2) in Fortran order
        byte[] pickle = PickleBytes.proto(2).op('(')
                .array(new long[] {2, 3, 2}, "u1", "|", true, fortran)
                .array(new long[] {2}, "f4", ">", false, new byte[] {0x3f, (byte) 0x80, 0, 0, (byte) 0xc0, 0, 0, 0})
                .array(new long[] {1}, "i8", "=", false, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1})
                .array(new long[] {0, 5}, "f8", "<", false, new byte[0])
                .array(new long[] {2}, "i1", "|", false, new byte[] {-1, 127})
                .array(new long[] {}, "f8", "<", false, new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f})
                .op('l').stop();
        List<?> arrays = (List<?>) Pickle.load(pickle, "arrays");
        // numpy: np.arange(1, 13, dtype=np.uint8).reshape((2, 3, 2), order='F') in C order
        assertEquals(NdArray.ofUnsignedBytes(new byte[] {1, 7, 3, 9, 5, 11, 2, 8, 4, 10, 6, 12}, 2, 3, 2), arrays.get(0));
        assertEquals(NdArray.ofFloats(new float[] {1f, -2f}, 2), arrays.get(1));
        assertEquals(NdArray.ofLongs(new long[] {-1}, 1), arrays.get(2));
        assertEquals(NdArray.ofDoubles(new double[0], 0, 5), arrays.get(3));
        assertEquals(NdArray.ofInts(new int[] {-1, 127}, 2), arrays.get(4));
        assertEquals(NdArray.ofDoubles(new double[] {1.0}), arrays.get(5));
        assertEquals(DType.UINT8, ((NdArray) arrays.get(0)).dtype());
    }

    @Test
    void unsupportedDtypesAreRefusedByName() {
        assertError("unsupported dtype 'f2'", PickleBytes.proto(2).array(new long[] {1}, "f2", "<", false, new byte[2]).stop());
        assertError("unsupported dtype 'U3'", PickleBytes.proto(2).array(new long[] {1}, "U3", "<", false, new byte[12]).stop());
        assertError("object arrays (dtype 'O') are refused", PickleBytes.proto(2).array(new long[] {1}, "O8", "|", false, new byte[8]).stop());
        assertError("dtype 'i4' of 4 bytes has no byte order ('|')", PickleBytes.proto(2).array(new long[] {1}, "i4", "|", false, new byte[4]).stop());
    }

    @Test
    void globalsAndPlaceholdersAreRenderedWithoutRecursingForever() throws MalformedFileException {
        // x = [1]; t = (x,); x.append(t); o = Obj(); o.__dict__ = {'self': o, 'list': x}
        byte[] pickle = PickleBytes.proto(2).op(']').op('q').u8(0).integer(1).op('a').op('h').u8(0).op(0x85).op('a')
                .global("m", "Obj").op(')').op(0x81).op('q').u8(1).op('}').str("self").op('h').u8(1).op('s').str("list").op('h').u8(0).op('s').op('b')
                .op(0x86).stop();
        PyTuple top = (PyTuple) Pickle.load(pickle, "cycles");
        List<?> list = (List<?>) top.get(0);
        assertSame(list, ((PyTuple) list.get(1)).get(0));
        assertEquals("[1, ([...],)]", Pickle.repr(list));
        assertEquals("[1, ([1, (...)],)]", list.toString()); // ArrayList's own toString: the tuple's stops at the cycle
        PyObject object = (PyObject) top.get(1);
        assertSame(object, object.attribute("self"));
        assertEquals("<m.Obj() state={'self': <...>, 'list': [1, ([...],)]}>", object.toString());
    }

    private static void assertError(String expected, byte[] pickle) {
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Pickle.load(pickle, "test.pkl"));
        assertTrue(e.getMessage().startsWith("test.pkl: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
