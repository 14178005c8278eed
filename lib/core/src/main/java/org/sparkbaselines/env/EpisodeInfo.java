package org.sparkbaselines.env;

import java.util.Map;

/**
 * The summary {@link Monitor} puts under {@code info["episode"]} when an episode ends: the reference's
 * {@code {"r", "l", "t"}} plus the values of the monitor's info keywords.
 *
 * @param reward total reward of the episode ({@code r})
 * @param length number of steps ({@code l})
 * @param time seconds since the monitor started ({@code t})
 * @param extra values of the requested info keywords at the last step
 */
public record EpisodeInfo(double reward, int length, double time, Map<String, Object> extra) implements java.io.Serializable {
}
