package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every notebook in {@code notebooks/} runs cell by cell without an error. */
@Tag("slow")
class NotebooksTest {

    private static Path notebooksDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("notebooks")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir.resolve("notebooks");
            }
        }
        throw new IllegalStateException("no notebooks/ folder above " + Path.of("").toAbsolutePath());
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null ? surefire : System.getProperty("java.class.path");
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRuns() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(notebooksDir())) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(!notebooks.isEmpty(), "no notebooks found");
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            NotebookRunner.Result result = NotebookRunner.run(nb, classpath());
            assertNull(result.failure(), () -> result.failure() + "\n--- output ---\n" + result.output());
        }));
    }

    @Test
    void aFailingCellIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path nb = dir.resolve("broken.ipynb");
        Files.writeString(nb, """
                {"metadata": {"kernelspec": {"name": "java", "language": "java", "display_name": "Java"}},
                 "nbformat": 4, "nbformat_minor": 5,
                 "cells": [
                  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["int x = 1;\\n", "int y = x + 1;"]},
                  {"cell_type": "markdown", "metadata": {}, "source": ["text"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["if (y == 2) throw new IllegalStateException(\\"boom\\");"]}
                 ]}
                """);
        NotebookRunner.Result result = NotebookRunner.run(nb, classpath());
        assertTrue(result.failure() != null && result.failure().startsWith("cell 2") && result.failure().contains("boom"), result.failure());
        Files.writeString(nb, Files.readString(nb).replace("x + 1", "undefinedName + 1"));
        NotebookRunner.Result rejected = NotebookRunner.run(nb, classpath());
        assertTrue(rejected.failure() != null && rejected.failure().contains("does not compile"), rejected.failure());
    }
}
