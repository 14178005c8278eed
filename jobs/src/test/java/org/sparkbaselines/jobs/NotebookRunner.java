package org.sparkbaselines.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Executes the Java code cells of a Jupyter notebook (IJava kernel) in order through JShell, in this
 * JVM, against the test classpath, and reports the first cell that fails to compile or throws.
 */
final class NotebookRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run printed and where it failed (null when every cell ran). */
    record Result(String output, String failure) {
    }

    private NotebookRunner() {
    }

    static List<String> codeCells(Path notebook) throws IOException {
        JsonNode root = JSON.readTree(notebook.toFile());
        String language = root.path("metadata").path("kernelspec").path("language").asText();
        if (!"java".equals(language)) {
            throw new IllegalArgumentException(notebook + " is not a Java notebook (kernelspec language '" + language + "')");
        }
        List<String> cells = new ArrayList<>();
        for (JsonNode cell : root.path("cells")) {
            if ("code".equals(cell.path("cell_type").asText())) {
                StringBuilder source = new StringBuilder();
                JsonNode lines = cell.path("source");
                if (lines.isArray()) {
                    lines.forEach(l -> source.append(l.asText()));
                } else {
                    source.append(lines.asText());
                }
                cells.add(source.toString());
            }
        }
        return cells;
    }

    /**
     * Runs the notebook's code cells as a fresh kernel would: on a thread that inherits no
     * thread-local state from the caller. JShell runs every snippet on a new thread, which would
     * otherwise inherit the caller's, such as the stopped Spark session an earlier test in this JVM
     * left active there.
     */
    static Result run(Path notebook, String classpath) throws IOException {
        List<String> cells = codeCells(notebook);
        AtomicReference<Result> result = new AtomicReference<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread kernel = new Thread(null, () -> {
            try {
                result.set(runCells(cells, classpath));
            } catch (RuntimeException | Error e) {
                crash.set(e);
            }
        }, "notebook-kernel", 0, false);
        kernel.start();
        try {
            kernel.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + notebook, e);
        }
        if (crash.get() instanceof RuntimeException e) {
            throw e;
        }
        if (crash.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    private static Result runCells(List<String> cells, String classpath) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try (JShell shell = JShell.builder().executionEngine("local").out(out).err(out)
                .compilerOptions("--add-modules", "jdk.incubator.vector").build()) {
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    shell.addToClasspath(entry);
                }
            }
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            for (int c = 0; c < cells.size(); c++) {
                String remaining = cells.get(c);
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                    String source = info.source() != null ? info.source() : remaining;
                    String failure = evaluate(shell, source);
                    if (failure != null) {
                        return new Result(captured.toString(StandardCharsets.UTF_8), "cell " + (c + 1) + ": " + failure);
                    }
                    if (info.source() == null) {
                        break;
                    }
                    remaining = info.remaining();
                }
            }
        }
        return new Result(captured.toString(StandardCharsets.UTF_8), null);
    }

    private static String evaluate(JShell shell, String source) {
        for (SnippetEvent event : shell.eval(source)) {
            if (event.exception() != null) {
                return "'" + source.strip() + "' threw " + event.exception();
            }
            if (event.status() == Snippet.Status.REJECTED) {
                StringBuilder diags = new StringBuilder();
                shell.diagnostics(event.snippet()).forEach((Diag d) -> diags.append(d.getMessage(null)).append("; "));
                return "'" + source.strip() + "' does not compile: " + diags;
            }
        }
        return null;
    }
}
