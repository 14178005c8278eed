package org.sparkbaselines.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.spark.evaluation.BatchEvaluation;
import org.sparkbaselines.spark.evaluation.SavedModels;

class TableSchemasTest {
    @Test
    void everyTablesColumnsGiveTheSchemaSparksParserGives() {
        for (String ddl : List.of(TrajectoryStore.STEPS_DDL, TrajectoryStore.EPISODES_DDL, BatchEvaluation.EPISODES_DDL,
                BatchEvaluation.SUMMARY_DDL, SavedModels.MODEL_LIST_DDL)) {
            assertEquals(StructType.fromDDL(ddl), TableSchemas.fromDdl(ddl), ddl);
        }
    }

    @Test
    void aColumnItDoesNotKnowIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableSchemas.fromDdl("a INT, b MAP<STRING,INT>"));
        assertEquals("not a column of our tables' DDL: 'b MAP<STRING'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableSchemas.fromDdl("a INT NULL"));
        assertThrows(IllegalArgumentException.class, () -> TableSchemas.fromDdl("a"));
    }
}
