package org.sparkbaselines.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects benchmark rows and prints them as a table with the ratio to the Python peer's figure. */
final class BenchTable {
    private record Row(String workload, double value, String unit, double peer, boolean higherIsBetter) {
    }

    private final String title;
    private final List<Row> rows = new ArrayList<>();

    BenchTable(String title) {
        this.title = title;
    }

    /** A throughput row (higher is better); {@code peer} is the peer figure or NaN. */
    void rate(String workload, double value, String unit, double peer) {
        rows.add(new Row(workload, value, unit, peer, true));
    }

    /** A latency row (lower is better); {@code peer} is the peer figure or NaN. */
    void time(String workload, double value, String unit, double peer) {
        rows.add(new Row(workload, value, unit, peer, false));
    }

    void print() {
        System.out.println();
        System.out.println(title);
        String format = "%-58s %16s %-8s %14s %10s%n";
        System.out.printf(format, "workload", "measured", "unit", "peer (SB3)", "ratio");
        for (Row r : rows) {
            String peer = Double.isNaN(r.peer) ? "-" : String.format("%,.0f", r.peer);
            String ratio = Double.isNaN(r.peer) ? "-"
                    : String.format("%.1fx", r.higherIsBetter ? r.value / r.peer : r.peer / r.value);
            System.out.printf(format, r.workload, String.format("%,.0f", r.value), r.unit, peer, ratio);
        }
        System.out.println("ratio: how many times better than the peer figure (../shared/reference/peer-figures.md)");
    }

    /** Median of repeated measurements. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
