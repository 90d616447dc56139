package io.github.recurra.examples;

import io.github.recurra.api.train.TrainingHistory;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.examples.plot.HistoryFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The training commands' {@code --plot DIR} option (a picocli mixin): after training, the run's history as
 * {@code loss.png}, {@code accuracy.png} (classifiers) and {@code history.csv} in DIR ({@link HistoryFiles}).
 * The history is {@link TrainingResult#history()}: every step, each epoch's summary and every validation scoring.
 */
final class PlotOption {

    @Option(names = "--plot", paramLabel = "DIR",
            description = "After training, write loss.png, accuracy.png (classifiers) and history.csv (one row per "
                    + "step) to DIR, which is created if missing.")
    Path dir;

    /** Called by picocli. */
    PlotOption() {
    }

    /** @return whether {@code --plot} was given */
    boolean enabled() {
        return dir != null;
    }

    /**
     * Creates the directory, before any training, so that a path that is a file is reported at once.
     *
     * @throws IllegalArgumentException if {@code --plot} names a file
     */
    void prepare() {
        if (dir != null) {
            HistoryFiles.prepare(dir, "--plot");
        }
    }

    /**
     * Writes the files, if {@code --plot} was given, and says so on {@code out}.
     *
     * @param result the training run
     * @param out    where to print the line {@code Plots: loss.png, accuracy.png, history.csv in DIR}
     */
    void write(TrainingResult result, PrintStream out) {
        if (dir == null) {
            return;
        }
        TrainingHistory h = result.history();
        List<Path> files = HistoryFiles.write(dir, h);
        out.println("Plots: " + files.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", ")) + " in " + dir);
    }
}
