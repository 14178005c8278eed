package org.sparkbaselines.env;

/** Info keys with a meaning shared across the library. */
public final class Infos {
    /** The real last observation of an episode a vectorized env auto-reset ({@code float[]}). */
    public static final String TERMINAL_OBSERVATION = "terminal_observation";
    /** Set by vectorized envs to {@code truncated && !terminated} ({@code Boolean}), as SB3 does. */
    public static final String TIME_LIMIT_TRUNCATED = "TimeLimit.truncated";
    /** Set by {@link Monitor} at the end of an episode ({@link EpisodeInfo}). */
    public static final String EPISODE = "episode";
    /** Whether a goal was reached ({@code Boolean}). */
    public static final String IS_SUCCESS = "is_success";

    private Infos() {
    }
}
