package org.sparkbaselines.common;

/**
 * numpy's default generator, draw for draw: {@code np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))},
 * the generator Gymnasium builds on {@code reset(seed=seed)} (its {@code np_random}). The same seed gives
 * the same {@link #nextUint64()}, {@link #nextDouble()} ({@code random()}), {@link #uniform(double, double)}
 * and {@link #integers(long)} values as numpy 2, so an env reset here starts where Gymnasium's starts.
 *
 * <ul>
 *   <li>Seeding is numpy's {@code SeedSequence}: the seed's 32-bit words (little-endian; 0 is one zero
 *       word) are hash-mixed into a pool of four words, from which {@code generate_state(4, uint64)}
 *       draws PCG64's 128-bit state ({@code [0]} high, {@code [1]} low) and stream ({@code [2]},
 *       {@code [3]}), set as {@code pcg_setseq_128_srandom_r} does. A {@code long} seed is read as an
 *       unsigned 64-bit integer: {@code 0 .. 2^63-1} are the seeds Python passes as such; a negative
 *       {@code long} {@code s} is numpy's seed {@code 2^64 + s} (Gymnasium itself refuses negative seeds).</li>
 *   <li>PCG64 is the 128-bit LCG (multiplier {@code 0x2360ED051FC65DA44385DF649FCCF645}) with the
 *       XSL-RR output: each 64-bit draw steps the state, then outputs it.</li>
 *   <li>Like numpy's bit generator it keeps the unused upper half of a 64-bit draw for the next 32-bit
 *       draw ({@link #nextUint32()}, used by {@link #integers(long)} for bounds up to 2^32); 64-bit draws
 *       leave that half alone.</li>
 * </ul>
 *
 * <p>Draws allocate nothing. Not thread-safe: one generator per env, as in Gymnasium.
 */
public final class NumpyRandom {
    // numpy's SeedSequence constants (numpy/random/bit_generator.pyx).
    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    // PCG64's 128-bit multiplier, high and low halves.
    private static final long MULT_HIGH = 0x2360ED051FC65DA4L;
    private static final long MULT_LOW = 0x4385DF649FCCF645L;

    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final long UINT32_MASK = 0xFFFFFFFFL;

    private long stateHigh;
    private long stateLow;
    private final long incHigh;
    private final long incLow;
    /** numpy's {@code has_uint32}/{@code uinteger}: the upper half of a 64-bit draw kept for the next 32-bit draw. */
    private boolean hasUint32;
    private int uinteger;

    /** {@code Generator(PCG64(SeedSequence(seed)))}, {@code seed} read as an unsigned 64-bit integer. */
    public NumpyRandom(long seed) {
        long[] words = seedSequenceState(seed, 4);
        long initSeqHigh = words[2];
        long initSeqLow = words[3];
        // pcg_setseq_128_srandom_r: state = 0, inc = initseq << 1 | 1, step, state += initstate, step.
        incHigh = (initSeqHigh << 1) | (initSeqLow >>> 63);
        incLow = (initSeqLow << 1) | 1L;
        stateHigh = 0;
        stateLow = 0;
        step();
        long low = stateLow + words[1];
        stateHigh = stateHigh + words[0] + (Long.compareUnsigned(low, stateLow) < 0 ? 1 : 0);
        stateLow = low;
        step();
    }

    /**
     * {@code SeedSequence(seed).generate_state(n, np.uint64)}, each unsigned word in a {@code long}
     * ({@code seed} read as unsigned 64-bit).
     */
    public static long[] seedSequenceState(long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        int[] pool = pool(seed);
        long[] out = new long[n];
        int hashConst = INIT_B;
        for (int i = 0; i < 2 * n; i++) {
            int value = pool[i % POOL_SIZE];
            value ^= hashConst;
            hashConst *= MULT_B;
            value *= hashConst;
            value ^= value >>> XSHIFT;
            // uint32 words viewed as little-endian uint64: the even word is the low half.
            long word = value & UINT32_MASK;
            out[i / 2] |= (i % 2 == 0) ? word : word << 32;
        }
        return out;
    }

    /** SeedSequence's entropy pool: {@code mix_entropy} over the seed's 32-bit words. */
    private static int[] pool(long seed) {
        int[] entropy = (seed >>> 32) == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        int[] mixer = new int[POOL_SIZE];
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            mixer[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
        }
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    mixer[dst] = mix(mixer[dst], hashmix(mixer[src], hashConst));
                }
            }
        }
        // An entropy array longer than the pool (a seed past 2^128) is not reachable from a long.
        return mixer;
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }

    /** state = state * MULT + inc, mod 2^128. */
    private void step() {
        long low = stateLow * MULT_LOW;
        long high = unsignedMultiplyHigh(stateLow, MULT_LOW) + stateLow * MULT_HIGH + stateHigh * MULT_LOW;
        long sumLow = low + incLow;
        stateHigh = high + incHigh + (Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0);
        stateLow = sumLow;
    }

    /** The high 64 bits of the unsigned 128-bit product (JDK 17 has only the signed {@link Math#multiplyHigh}). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** The next 64 random bits, numpy's {@code next_uint64} (what {@code PCG64.random_raw()} returns), as a signed long. */
    public long nextUint64() {
        step();
        // XSL-RR: xor the halves, rotate right by the top 6 bits of the state.
        return Long.rotateRight(stateHigh ^ stateLow, (int) (stateHigh >>> 58));
    }

    /**
     * The next 32 random bits in {@code [0, 2^32)}, numpy's {@code next_uint32}: the low half of a fresh
     * 64-bit draw, then the high half of the same draw.
     */
    public long nextUint32() {
        if (hasUint32) {
            hasUint32 = false;
            return uinteger & UINT32_MASK;
        }
        long next = nextUint64();
        hasUint32 = true;
        uinteger = (int) (next >>> 32);
        return next & UINT32_MASK;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits, numpy's {@code Generator.random()}. */
    public double nextDouble() {
        return (nextUint64() >>> 11) * DOUBLE_UNIT;
    }

    /** numpy's {@code Generator.uniform(low, high)}: {@code low + (high - low) * random()}. */
    public double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /**
     * Uniform in {@code [0, bound)}, numpy 2's {@code Generator.integers(0, bound)} (int64): Lemire's
     * multiply-and-reject on 32-bit draws for bounds up to 2^32, on 64-bit draws above; a bound of 1
     * draws nothing.
     */
    public long integers(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long range = bound - 1; // numpy's inclusive rng
        if (range == 0) {
            return 0;
        }
        if (range < UINT32_MASK) {
            long m = nextUint32() * bound;
            long leftover = m & UINT32_MASK;
            if (leftover < bound) {
                long threshold = (UINT32_MASK - range) % bound;
                while (leftover < threshold) {
                    m = nextUint32() * bound;
                    leftover = m & UINT32_MASK;
                }
            }
            return m >>> 32;
        }
        if (range == UINT32_MASK) {
            return nextUint32();
        }
        long draw = nextUint64();
        long leftover = draw * bound;
        if (Long.compareUnsigned(leftover, bound) < 0) {
            long threshold = Long.remainderUnsigned(-1L - range, bound);
            while (Long.compareUnsigned(leftover, threshold) < 0) {
                draw = nextUint64();
                leftover = draw * bound;
            }
        }
        return unsignedMultiplyHigh(draw, bound);
    }
}
