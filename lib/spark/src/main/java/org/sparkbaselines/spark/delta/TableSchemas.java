package org.sparkbaselines.spark.delta;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Our tables' column lists, written as Spark SQL DDL ({@code name TYPE [NOT NULL], ...}), made into schemas
 * without Spark's SQL parser: {@code StructType.fromDDL} costs a fresh JVM over a second (the parser and
 * SQL configuration load), and every executor that records or evaluates builds these schemas on its first
 * task. Only the types our tables use are accepted; the tests check the result equals {@code fromDDL}'s.
 */
public final class TableSchemas {
    private static final Map<String, DataType> TYPES = Map.of("STRING", DataTypes.StringType, "BIGINT", DataTypes.LongType, "INT",
            DataTypes.IntegerType, "DOUBLE", DataTypes.DoubleType, "FLOAT", DataTypes.FloatType, "BOOLEAN", DataTypes.BooleanType, "TIMESTAMP",
            DataTypes.TimestampType, "ARRAY<FLOAT>", DataTypes.createArrayType(DataTypes.FloatType, true));

    private TableSchemas() {
    }

    /** The schema of the column list {@code ddl}, e.g. {@code "id BIGINT NOT NULL, obs ARRAY<FLOAT>"}. */
    public static StructType fromDdl(String ddl) {
        StructType schema = new StructType();
        for (String column : ddl.split(",")) {
            String[] words = column.trim().split("\\s+");
            boolean notNull = words.length == 4 && words[2].equalsIgnoreCase("NOT") && words[3].equalsIgnoreCase("NULL");
            DataType type = words.length >= 2 ? TYPES.get(words[1].toUpperCase(Locale.ROOT)) : null;
            if (type == null || !(words.length == 2 || notNull)) {
                throw new IllegalArgumentException("not a column of our tables' DDL: '" + column.trim() + "'");
            }
            schema = schema.add(words[0], type, !notNull);
        }
        return schema;
    }
}
