package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link NumpyRandom} against values printed by numpy 2.4 (Python 3.11), e.g.
 * {@code np.random.SeedSequence(s).generate_state(4, np.uint64)},
 * {@code np.random.PCG64(np.random.SeedSequence(s)).random_raw(4)},
 * {@code np.random.Generator(np.random.PCG64(s)).random(3)} and {@code .integers(bound)}.
 * Unsigned 64-bit values are written as the {@code long} with the same bits; negative seeds stand
 * for {@code 2^64 + seed}.
 */
class NumpyRandomTest {
    /** Seed, then {@code SeedSequence(seed).generate_state(4, np.uint64)}. */
    private static final long[][] SEED_SEQUENCE_STATES = {
        {0L, 0xDB2CD7E7B0F478BEL, 0xABF4641A2C71BA49L, 0x20C6ED6D9D7B8D41L, 0x2C4099DE223C39D4L},
        {1L, 0x672D8EE56D6791FFL, 0x8AE19CA14EB1072CL, 0x4915796D1322FC4AL, 0xD0CC2BDCABA049BDL},
        {42L, 0x9F1E2E6DCD540AB7L, 0xD57873DC79FB94B6L, 0x7D282A1B64D420B7L, 0x336579714692D5FFL},
        {(1L << 32) + 5, 0xF9C15BD6E249D9ACL, 0xB2021B4036320ED7L, 0x9388B47FE6DCF739L, 0x5EEBA8D9AD6439E1L},
        {Long.MAX_VALUE, 0x07BDDCCF9B1009FEL, 0x57427703C5F0B45BL, 0xB9094B0B99E1A27FL, 0x2B9A03BB82ACA987L},
        {Long.MIN_VALUE, 0xD360DFE156C9650AL, 0x6D067215B58DB8D7L, 0xB8F7F43613077984L, 0xAA2EC05D0037409DL},
        {-1L, 0xAEBCA151928CAD0DL, 0x119C30448638DC7AL, 0x1BBB155659E642A7L, 0xA76B11E3E8C4A8F6L},
    };

    /** Seed, then {@code PCG64(SeedSequence(seed)).random_raw(4)}. */
    private static final long[][] RAW_DRAWS = {
        {0L, 0xA30FEBCFD9C2825FL, 0x4510BDF882D9D721L, 0x0A7D3DA94ECDE8B8L, 0x043B27B61342F01DL},
        {1L, 0x8306BDF37922E4FFL, 0xF35196BBC152A866L, 0x24E7A4F608EC18CDL, 0xF2DAB0AED2AC6FD2L},
        {42L, 0xC621FBCD16D92688L, 0x705A5661A791FFC1L, 0xDBCD12C26EDA1624L, 0xB286B60E1600888DL},
        {(1L << 32) + 5, 0xC6323EC321DEB8D1L, 0x78814821C73A0583L, 0xB22536D8E0EC17C0L, 0xD1089C74D9305A76L},
        {Long.MAX_VALUE, 0x2CEB59116FB27514L, 0x784D3E7D390DC57CL, 0xD335A7689CE43488L, 0x4E1010B4089E3D06L},
        {Long.MIN_VALUE, 0xCFB443E389167CFDL, 0x98B11EB7647F71B8L, 0xDE463A1436212DFDL, 0x6CD50B6497CE000BL},
        {-1L, 0xAE163A7A8C47568FL, 0xD86659F5F3382359L, 0x01E52B195BC2D24AL, 0xE5026AAF19A22DB1L},
    };

    @Test
    void seedSequenceStatesMatchNumpy() {
        for (long[] row : SEED_SEQUENCE_STATES) {
            long[] expected = java.util.Arrays.copyOfRange(row, 1, row.length);
            assertArrayEquals(expected, NumpyRandom.seedSequenceState(row[0], 4), "seed " + Long.toUnsignedString(row[0]));
        }
    }

    @Test
    void rawDrawsMatchNumpy() {
        for (long[] row : RAW_DRAWS) {
            NumpyRandom random = new NumpyRandom(row[0]);
            for (int i = 1; i < row.length; i++) {
                assertEquals(row[i], random.nextUint64(), "seed " + Long.toUnsignedString(row[0]) + ", draw " + (i - 1));
            }
        }
    }

    @Test
    void doublesMatchNumpyRandom() {
        assertDoubles(0, 0.6369616873214543, 0.2697867137638703, 0.04097352393619469);
        assertDoubles(3, 0.08564916714362436, 0.2368105065960997, 0.8012744652063969);
        assertDoubles(42, 0.7739560485559633, 0.4388784397520523, 0.8585979199113825);
    }

    private static void assertDoubles(long seed, double... expected) {
        NumpyRandom random = new NumpyRandom(seed);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], random.nextDouble(), 0.0, "seed " + seed + ", draw " + i);
        }
    }

    @Test
    void uniformMatchesNumpy() {
        // g = Generator(PCG64(3)); g.uniform(-0.05, 0.05) twice, g.uniform(-pi, pi), g.uniform(-0.6, -0.4)
        NumpyRandom random = new NumpyRandom(3);
        assertEquals(-0.04143508328563757, random.uniform(-0.05, 0.05), 0.0);
        assertEquals(-0.02631894934039003, random.uniform(-0.05, 0.05), 0.0);
        assertEquals(1.8929632932132208, random.uniform(-Math.PI, Math.PI), 0.0);
        assertEquals(-0.48356759278712647, random.uniform(-0.6, -0.4), 0.0);
    }

    @Test
    void integersMatchNumpyForEveryPath() {
        // Generator(PCG64(42)).integers(bound), six times from a fresh generator per bound.
        assertIntegers(42, 1L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertIntegers(42, 2L, 0L, 1L, 1L, 0L, 0L, 1L);
        assertIntegers(42, 3L, 0L, 2L, 1L, 1L, 1L, 2L);
        assertIntegers(42, 7L, 0L, 5L, 4L, 3L, 3L, 6L);
        assertIntegers(42, 100L, 8L, 77L, 65L, 43L, 43L, 85L);
        assertIntegers(42, 1L << 31, 191664964L, 1662057958L, 1405681632L, 942484272L, 929893138L, 1843824993L);
        // 3 * 2^30 + 1 rejects about a quarter of the 32-bit draws; these six take five 64-bit draws.
        assertIntegers(42, 3L * (1L << 30) + 1, 2493086938L, 2108522449L, 1394839707L, 2765737490L, 276850281L, 648978800L);
        assertIntegers(42, (1L << 32) - 1, 383329927L, 3324115916L, 2811363264L, 1884968544L, 1859786275L, 3687649985L);
        // 2^32: numpy returns next_uint32 unscaled.
        assertIntegers(42, 1L << 32, 383329928L, 3324115917L, 2811363265L, 1884968545L, 1859786276L, 3687649986L);
        assertIntegers(42, (1L << 32) + 1, 3324115917L, 1884968546L, 3687649987L, 2995172878L, 404488629L, 4190266094L);
        assertIntegers(42, (1L << 40) + 3, 850973674777L, 482551947688L, 944038396529L, 766764256792L, 103549089075L, 1072708119945L);
        assertIntegers(42, (1L << 62) + 1, 3569242288002845090L, 2023969564393766896L, 3959584022706161033L, 3216042389311332899L,
                434316358506045562L, 4499263958308476131L);
        assertIntegers(42, 3L * (1L << 61) + 5, 5353863432004267638L, 3035954346590650346L, 5939376034059241553L,
                4824063583966999352L, 651474537759068344L, 6748895937462714201L);
        // Seed 0 rejects two 64-bit draws among these six.
        assertIntegers(0, 3L * (1L << 61) + 5, 4406200961541402854L, 1866257423733469357L, 114330398526872074L,
                6314013200959933089L, 4196420588075033330L, 5046313636171151837L);
        assertIntegers(42, Long.MAX_VALUE, 7138484576005690179L, 4047939128787533792L, 7919168045412322065L, 6432084778622665797L,
                868632717012091125L, 8998527916616952261L);
    }

    private static void assertIntegers(long seed, long bound, long... expected) {
        NumpyRandom random = new NumpyRandom(seed);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], random.integers(bound), "seed " + seed + ", bound " + bound + ", draw " + i);
        }
    }

    @Test
    void theKeptHalfOfA64BitDrawSurvivesOtherDraws() {
        // g = Generator(PCG64(7)); calls in this order (random() where the bound is 0).
        NumpyRandom random = new NumpyRandom(7);
        assertEquals(2L, random.integers(3));
        assertEquals(0.8972138009695755, random.nextDouble(), 0.0);
        assertEquals(1L, random.integers(3));
        assertEquals(1L, random.integers(3));
        assertEquals(247617924054L, random.integers((1L << 40) + 3));
        assertEquals(2L, random.integers(3));
        assertEquals(0.30016628491122543, random.nextDouble(), 0.0);
        assertEquals(28L, random.integers(100));
        assertEquals(3751883479L, random.integers(1L << 32));
        assertEquals(3919686767L, random.integers((1L << 32) - 1));
        assertEquals(0.8212284183827663, random.nextDouble(), 0.0);
        assertEquals(0L, random.integers(7));
    }

    @Test
    void rejectsBoundsNumpyRejects() {
        NumpyRandom random = new NumpyRandom(0);
        assertThrows(IllegalArgumentException.class, () -> random.integers(0));
        assertThrows(IllegalArgumentException.class, () -> random.integers(-5));
    }

    @Test
    void drawsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();
        NumpyRandom random = new NumpyRandom(1);
        double sink = draw(random, 200_000);
        long before = threads.getThreadAllocatedBytes(thread);
        sink += draw(random, 1_000_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 1M draws");
        assertTrue(sink > 0);
    }

    private static double draw(NumpyRandom random, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += random.uniform(-1, 1) + random.integers(7) + (random.nextUint64() & 1) + random.integers((1L << 40) + 3) * 1e-12;
        }
        return Math.abs(sum) + 1;
    }
}
