package org.sparkbaselines.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.imitation.DatasetDescription;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.dataset.DatasetSummary;
import org.sparkbaselines.spark.dataset.DeltaExpertData;
import org.sparkbaselines.spark.dataset.ExpertNpz;
import org.sparkbaselines.spark.dataset.KernelExpertData;
import org.sparkbaselines.spark.dataset.KernelUnsupportedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sb dataset}: expert datasets in the Delta trajectory tables. {@code import} and
 * {@code export} move a dataset between the tables and the reference's {@code .npz} layout;
 * {@code describe} summarizes what the tables hold, read with Delta Kernel (no Spark session) unless
 * Kernel cannot read them.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Expert datasets in Delta trajectory tables (<table>/steps, <table>/episodes): import, export, describe.",
        subcommands = {DatasetCommand.Import.class, DatasetCommand.Export.class, DatasetCommand.Describe.class})
final class DatasetCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: import, export or describe");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import an .npz in the reference's layout (obs, actions, rewards, episode_returns, episode_starts) as one run.",
                "Importing the same trajectories again adds nothing: the run id is a hash of their content."})
    static final class Import implements Callable<Integer> {
        @Option(names = "--npz", required = true, description = "The .npz to import.")
        Path npz;

        @Option(names = "--table", required = true, description = "Root of the trajectory tables (created if missing): a directory or a Hadoop URI.")
        String table;

        @Option(names = "--dataset", description = "Dataset name (default: the env id, else the file name without .npz).")
        String dataset;

        @Option(names = "--env", description = "The env the data is for: its spaces' sizes are checked (default: no check).")
        String envId;

        @Override
        public Integer call() throws IOException {
            CommandInputs.requireExists(npz);
            String name = dataset != null ? dataset : envId != null ? envId : npz.getFileName().toString().replaceFirst("\\.npz$", "");
            ExpertNpz.ImportResult result;
            try (SparkSession spark = SparkSessions.getOrCreate("sb dataset import")) {
                result = ExpertNpz.importNpz(spark, npz, table, name, envId);
            }
            System.out.printf("%s into %s (dataset %s, run %s):%n", npz, table, result.dataset(), result.runId());
            System.out.printf("  episodes       %10d (%d new)%n", result.episodes(), result.newEpisodes());
            System.out.printf("  steps          %10d%n", result.steps());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a dataset to an .npz in the reference's layout, with the dtypes and shapes of its env's spaces.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--table", required = true, description = "Root of the trajectory tables: a directory or a Hadoop URI.")
        String table;

        @Option(names = "--npz", required = true, description = "The .npz to write.")
        Path npz;

        @Option(names = "--dataset", description = "Dataset to export (default: the tables' only dataset).")
        String dataset;

        @Option(names = "--env", description = "Env whose spaces give the .npz dtypes and shapes (default: the dataset's name).")
        String envId;

        @Override
        public Integer call() throws IOException {
            String name;
            TrajectoryData data;
            try (SparkSession spark = SparkSessions.getOrCreate("sb dataset export")) {
                name = dataset != null ? dataset : DeltaExpertData.at(spark, table).soleDataset();
                data = ExpertNpz.exportNpz(spark, table, name, envId, npz);
            }
            System.out.printf("dataset %s of %s to %s:%n", name, table, npz);
            System.out.printf("  %s%n", DatasetDescription.of(data.episodeReturns(), data.steps()));
            System.out.printf("  %s%n", data.layout());
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Describe the datasets of the tables: runs, sources, episodes, steps, return statistics, observation and action sizes.")
    static final class Describe implements Callable<Integer> {
        @Option(names = "--table", required = true, description = "Root of the trajectory tables: a directory or a Hadoop URI.")
        String table;

        @Option(names = "--dataset", description = "Describe only this dataset (default: every one).")
        String dataset;

        @Override
        public Integer call() {
            Described described;
            try {
                described = withKernel(table, dataset);
            } catch (KernelUnsupportedException e) {
                // Kernel reads the tables without starting Spark, seconds sooner, but trails Delta Spark in
                // protocol and table features: a table it cannot read (written by a newer Delta, or with a
                // feature such as type widening) is still described, by Spark, the same way. So is every table
                // under spark-submit, where Kernel's Parquet reader cannot load (see KernelExpertData).
                described = withSpark(table, dataset);
            }
            System.out.print(described.format(table));
            return 0;
        }

        /** What describe prints: the names of every dataset, and the summaries asked for. */
        record Described(List<String> datasets, List<DatasetSummary> summaries) {
            String format(String table) {
                StringBuilder out = new StringBuilder();
                out.append(String.format("%s: %d dataset(s): %s%n", table, datasets.size(), String.join(", ", datasets)));
                for (DatasetSummary summary : summaries) {
                    DatasetDescription description = summary.description();
                    out.append(String.format("dataset %s%n", summary.dataset()));
                    out.append(String.format("  runs           %10d%n", summary.runs()));
                    out.append(String.format("  sources        %s%n", String.join(", ", summary.sources())));
                    out.append(String.format("  episodes       %10d%n", description.episodes()));
                    out.append(String.format("  steps          %10d%n", description.steps()));
                    out.append(String.format(Locale.ROOT, "  return         %10.2f +/- %.2f (min %.2f, max %.2f)%n", description.returnMean(),
                            description.returnStd(), description.returnMin(), description.returnMax()));
                    out.append(String.format("  obs size       %10d%n", summary.observationDim()));
                    out.append(String.format("  action size    %10d%n", summary.actionDim()));
                }
                return out.toString();
            }

            static Described of(List<DatasetSummary> all, String dataset, Function<String, DatasetSummary> describeOne) {
                List<String> datasets = all.stream().map(DatasetSummary::dataset).toList();
                List<DatasetSummary> asked = all.stream().filter(s -> s.dataset().equals(dataset)).toList();
                return new Described(datasets, dataset == null ? all : !asked.isEmpty() ? asked : List.of(describeOne.apply(dataset)));
            }
        }

        /** The tables described through Delta Kernel, in this JVM, with no Spark session. */
        static Described withKernel(String table, String dataset) {
            KernelExpertData expert = KernelExpertData.at(table);
            return Described.of(expert.describe(), dataset, expert::describe);
        }

        /** The tables described with Spark SQL. */
        static Described withSpark(String table, String dataset) {
            try (SparkSession spark = SparkSessions.getOrCreate("sb dataset describe")) {
                DeltaExpertData expert = DeltaExpertData.at(spark, table);
                // One query for the names and the summaries: each query is a second or more of a short command.
                return Described.of(expert.describe(), dataset, expert::describe);
            }
        }
    }
}
