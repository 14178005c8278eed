package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import java.util.LinkedHashMap;

/** One policy version's parameters, broadcast to the executors once per iteration. */
record PolicySnapshot(long version, LinkedHashMap<String, float[]> parameters) implements Serializable {
}
