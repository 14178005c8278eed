package org.sparkbaselines.spark.delta;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StructType;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Spark {@link Row}s of a trajectory table seen as a Delta Kernel {@link ColumnarBatch}, for Kernel's Parquet
 * writer: column {@code c} of the batch reads field {@code fieldIndex[c]} of each row, so partition columns,
 * which Delta keeps out of the data files, can be left out. Values are read where they are; nothing is copied.
 * Timestamps are microseconds since the epoch, as Kernel expects them.
 */
final class KernelRows implements ColumnarBatch {
    private final StructType schema;
    private final List<Row> rows;
    private final int[] fieldIndex;

    /**
     * @param schema the batch's (physical) schema, in Kernel's types
     * @param fieldIndex for each column of {@code schema}, the index of its field in the rows
     */
    KernelRows(StructType schema, List<Row> rows, int[] fieldIndex) {
        this.schema = schema;
        this.rows = rows;
        this.fieldIndex = fieldIndex;
    }

    @Override
    public StructType getSchema() {
        return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
        return new Column(schema.at(ordinal).getDataType(), fieldIndex[ordinal]);
    }

    @Override
    public int getSize() {
        return rows.size();
    }

    /** One column of the rows. */
    private final class Column implements ColumnVector {
        private final DataType type;
        private final int field;

        Column(DataType type, int field) {
            this.type = type;
            this.field = field;
        }

        @Override
        public DataType getDataType() {
            return type;
        }

        @Override
        public int getSize() {
            return rows.size();
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isNullAt(int rowId) {
            return rows.get(rowId).isNullAt(field);
        }

        @Override
        public boolean getBoolean(int rowId) {
            return rows.get(rowId).getBoolean(field);
        }

        @Override
        public int getInt(int rowId) {
            return rows.get(rowId).getInt(field);
        }

        @Override
        public long getLong(int rowId) {
            Object value = rows.get(rowId).get(field);
            if (value instanceof Timestamp timestamp) {
                return timestamp.getTime() * 1000 + (timestamp.getNanos() / 1000) % 1000;
            }
            return (Long) value;
        }

        @Override
        public float getFloat(int rowId) {
            return rows.get(rowId).getFloat(field);
        }

        @Override
        public double getDouble(int rowId) {
            return rows.get(rowId).getDouble(field);
        }

        @Override
        public String getString(int rowId) {
            return rows.get(rowId).getString(field);
        }

        @Override
        public ArrayValue getArray(int rowId) {
            float[] values = (float[]) rows.get(rowId).get(field);
            return new ArrayValue() {
                @Override
                public int getSize() {
                    return values.length;
                }

                @Override
                public ColumnVector getElements() {
                    return new Floats(values);
                }
            };
        }
    }

    /** The elements of one {@code ARRAY<FLOAT>} value. */
    private record Floats(float[] values) implements ColumnVector {
        @Override
        public DataType getDataType() {
            return io.delta.kernel.types.FloatType.FLOAT;
        }

        @Override
        public int getSize() {
            return values.length;
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isNullAt(int rowId) {
            return false;
        }

        @Override
        public float getFloat(int rowId) {
            return values[rowId];
        }
    }
}
