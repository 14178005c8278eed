package org.sparkbaselines.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place Spark sessions are configured, for jobs, embedded use and tests: Delta Lake's SQL
 * extension and catalog are always on; the master comes from {@code spark.master} when
 * {@code spark-submit} (or the user) set it, and is {@code local[*]} otherwise, the embedded default.
 */
public final class SparkSessions {
    /** The master when nothing else is configured: every core of this machine, no cluster. */
    public static final String EMBEDDED_MASTER = "local[*]";

    private SparkSessions() {
    }

    /**
     * The active session, or a new one named {@code appName}: on the master {@code spark-submit}
     * chose, or {@value #EMBEDDED_MASTER} when run as a plain Java program.
     */
    public static SparkSession getOrCreate(String appName) {
        // SparkConf reads the spark.* system properties spark-submit sets, spark.master among them.
        SparkConf conf = withDelta(new SparkConf().setAppName(appName));
        conf.setIfMissing("spark.master", EMBEDDED_MASTER);
        if (conf.get("spark.master").startsWith("local")) {
            sizeForOneMachine(conf, Runtime.getRuntime().availableProcessors());
            // Starting the web UI's server is a fixed cost of every local command; -Dspark.ui.enabled=true brings it back.
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** A test session on {@code local[2]}: two cores, no task retries, settings that keep small Delta tests fast. */
    public static SparkSession forTests() {
        return forTests(1);
    }

    /**
     * A test session on two local cores that runs each task up to {@code maxTaskAttempts} times
     * ({@code local[2,N]}: local mode ignores {@code spark.task.maxFailures}), for fault-tolerance tests.
     */
    public static SparkSession forTests(int maxTaskAttempts) {
        if (maxTaskAttempts < 1) {
            throw new IllegalArgumentException("maxTaskAttempts must be at least 1, got " + maxTaskAttempts);
        }
        SparkConf conf = withDelta(new SparkConf()
                .setAppName("spark-baselines-tests")
                .setMaster("local[2," + maxTaskAttempts + "]")
                .set("spark.default.parallelism", "2")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false"));
        sizeForOneMachine(conf, 2);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static SparkConf withDelta(SparkConf conf) {
        return conf
                .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }

    /**
     * Partition counts for {@code cores} local cores unless the user chose others: the defaults are
     * sized for clusters (200 shuffle partitions, 50 for replaying a Delta log) and make every small
     * Delta operation on one machine spawn hundreds of near-empty tasks.
     */
    private static void sizeForOneMachine(SparkConf conf, int cores) {
        String partitions = Integer.toString(Math.max(2, cores));
        conf.setIfMissing("spark.sql.shuffle.partitions", partitions);
        conf.setIfMissing("spark.databricks.delta.snapshotPartitions", partitions);
    }
}
