package org.sparkbaselines.env.testenvs;

/** Registers the reference's test envs. */
public final class TestEnvs {
    private TestEnvs() {
    }

    public static void registerAll() {
    }
}
