package org.sparkbaselines.io;

/** The library version recorded in model files. */
public final class Version {
    /** This library's version, written to {@code data.json} as {@code library_version}. */
    public static final String LIBRARY = "0.1.0";

    private Version() {
    }
}
