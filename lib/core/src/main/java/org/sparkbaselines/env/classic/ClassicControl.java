package org.sparkbaselines.env.classic;

/** Registers the classic-control envs with their Gymnasium ids and time limits. */
public final class ClassicControl {
    private ClassicControl() {
    }

    public static void registerAll() {
    }
}
