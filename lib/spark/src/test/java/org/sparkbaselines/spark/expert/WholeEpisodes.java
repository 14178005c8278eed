package org.sparkbaselines.spark.expert;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparkbaselines.spark.delta.TrajectoryStore;
import scala.collection.JavaConverters;

/** Checks that a run holds exactly the episodes asked for, each complete, once. */
public final class WholeEpisodes {

    private WholeEpisodes() {
    }

    /**
     * Asserts that the run has one episodes row for each id in {@code 0 .. episodes-1} and nothing else,
     * and that each episode's step rows are {@code t = 0 .. length-1} once each, sum to its return and
     * end it at the last step only.
     */
    public static void assertWholeEpisodes(TrajectoryStore store, String dataset, String runId, int episodes) {
        Dataset<Row> perEpisode = store.steps(dataset, runId).groupBy("episode_id").agg(
                count("t").as("rows"), countDistinct("t").as("distinct_t"), min("t").as("first_t"), max("t").as("last_t"),
                sum("reward").as("reward_sum"),
                sum(when(col("terminated").or(col("truncated")), 1).otherwise(0)).as("ending_rows"),
                max(when(col("terminated").or(col("truncated")), col("t"))).as("ending_t"));
        // A full join, so that an episode with steps but no summary, or the other way round, shows up too.
        List<Row> joined = store.episodes(dataset, runId).join(perEpisode, JavaConverters.asScalaBuffer(List.of("episode_id")), "full")
                .orderBy("episode_id").collectAsList();
        List<Long> ids = joined.stream().map(row -> row.getLong(row.fieldIndex("episode_id"))).collect(Collectors.toList());
        assertEquals(LongStream.range(0, episodes).boxed().collect(Collectors.toList()), ids, "episodes of run " + runId);
        for (Row row : joined) {
            String what = "episode " + row.getLong(row.fieldIndex("episode_id"));
            assertFalse(row.isNullAt(row.fieldIndex("length")), what + " has no episodes row");
            assertFalse(row.isNullAt(row.fieldIndex("rows")), what + " has no step rows");
            long length = row.getInt(row.fieldIndex("length"));
            assertEquals(length, row.getLong(row.fieldIndex("rows")), what + ": step rows");
            assertEquals(length, row.getLong(row.fieldIndex("distinct_t")), what + ": distinct steps");
            assertEquals(0, row.getInt(row.fieldIndex("first_t")), what + ": first step");
            assertEquals(length - 1, row.getInt(row.fieldIndex("last_t")), what + ": last step");
            assertEquals(row.getDouble(row.fieldIndex("return")), row.getDouble(row.fieldIndex("reward_sum")), 1e-9, what + ": return");
            assertEquals(1, row.getLong(row.fieldIndex("ending_rows")), what + ": steps that end it");
            assertEquals(length - 1, row.getInt(row.fieldIndex("ending_t")), what + ": the step that ends it");
        }
    }
}
