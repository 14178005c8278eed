package org.sparkbaselines.spark.evaluation;

import java.io.Serializable;

/**
 * A saved model the batch evaluation runs.
 *
 * @param path the fully qualified Hadoop path of the model zip (e.g. {@code file:/models/a.zip},
 *     {@code s3a://bucket/models/a.zip}): the key of its rows, the same whether the model was found in a
 *     directory or listed in a table
 * @param name a readable name for reports: the path below the models directory without {@code .zip}
 *     (e.g. {@code ppo2/CartPole-v1_1/CartPole-v1}), or the file name without {@code .zip} for a listed model
 */
public record SavedModel(String path, String name) implements Serializable {
    private static final long serialVersionUID = 1L;
}
