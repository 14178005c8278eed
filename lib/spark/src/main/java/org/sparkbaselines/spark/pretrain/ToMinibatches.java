package org.sparkbaselines.spark.pretrain;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts a partition of {@code (obs, action, ...)} rows into DL4J minibatches of {@code batchSize}
 * rows (the last one holds the rest), lazily: one minibatch of rows is in memory at a time.
 */
final class ToMinibatches implements FlatMapFunction<Iterator<Row>, DataSet> {
    private static final long serialVersionUID = 1L;
    private final Encoding encoding;
    private final int batchSize;

    ToMinibatches(Encoding encoding, int batchSize) {
        this.encoding = encoding;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<DataSet> call(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public DataSet next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                int featureWidth = encoding.featureWidth();
                int labelWidth = encoding.actionWidth();
                float[] features = new float[batchSize * featureWidth];
                float[] labels = new float[batchSize * labelWidth];
                int n = 0;
                while (n < batchSize && rows.hasNext()) {
                    Row row = rows.next();
                    List<Float> observation = row.getList(0);
                    List<Float> action = row.getList(1);
                    encoding.features(observation, features, n * featureWidth);
                    encoding.labels(action, labels, n * labelWidth);
                    n++;
                }
                return new DataSet(matrix(features, n, featureWidth), matrix(labels, n, labelWidth));
            }
        };
    }

    private static INDArray matrix(float[] values, int rows, int columns) {
        float[] used = rows * columns == values.length ? values : Arrays.copyOf(values, rows * columns);
        return Nd4j.create(used, new long[] {rows, columns}, 'c');
    }
}
