package org.sparkbaselines.io;

/**
 * The element types an {@link NdArray} can hold, each with its numpy type code and the Java array
 * that stores it.
 */
public enum DType {
    FLOAT32('f', 4, float[].class),
    FLOAT64('f', 8, double[].class),
    INT32('i', 4, int[].class),
    INT64('i', 8, long[].class),
    BOOL('b', 1, boolean[].class),
    /** Unsigned bytes, stored in a {@code byte[]} (read them with {@link NdArray#toIntArray()} for 0..255). */
    UINT8('u', 1, byte[].class);

    private final char kind;
    private final int itemSize;
    private final Class<?> arrayClass;

    DType(char kind, int itemSize, Class<?> arrayClass) {
        this.kind = kind;
        this.itemSize = itemSize;
        this.arrayClass = arrayClass;
    }

    /** Bytes per element in a {@code .npy} file. */
    public int itemSize() {
        return itemSize;
    }

    /** The Java array class holding the data, e.g. {@code float[].class}. */
    public Class<?> arrayClass() {
        return arrayClass;
    }

    /** The numpy name: {@code float32}, {@code int64}, {@code bool}, ... */
    public String numpyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The little-endian numpy descr this library writes: {@code '<f4'}, or {@code '|b1'} for one-byte types. */
    String littleEndianDescr() {
        return (itemSize == 1 ? "|" : "<") + kind + itemSize;
    }

    /** The type with numpy kind character {@code kind} and {@code itemSize} bytes, or null when unsupported. */
    static DType of(char kind, int itemSize) {
        for (DType type : values()) {
            if (type.kind == kind && type.itemSize == itemSize) {
                return type;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return numpyName();
    }
}
