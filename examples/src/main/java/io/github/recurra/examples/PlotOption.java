package io.github.recurra.examples;

import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.TrainingHistory;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.examples.plot.HistoryFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The training commands' {@code --plot DIR} option (a picocli mixin): after training, the run's history as
 * {@code loss.png}, {@code accuracy.png} (classifiers) and {@code history.csv} in DIR ({@link HistoryFiles}).
 *
 * <p>The history is {@link TrainingResult#history()}. While the trainer returns an empty one, the steps are taken
 * from a listener this option adds to the trainer ({@link #listener()}), and the epochs are summarised from them; a
 * trainer that fills the history (with validations) is plotted as it is.
 */
final class PlotOption {

    @Option(names = "--plot", paramLabel = "DIR",
            description = "After training, write loss.png, accuracy.png (classifiers) and history.csv (one row per "
                    + "step) to DIR, which is created if missing.")
    Path dir;

    private final List<StepReport> steps = new ArrayList<>();

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

    /** @return a listener recording the steps (a no-op without {@code --plot}) */
    TrainingListener listener() {
        return new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                if (dir != null) {
                    steps.add(report);
                }
            }
        };
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
        TrainingHistory h = result.history().steps().isEmpty() ? fromSteps(steps) : result.history();
        List<Path> files = HistoryFiles.write(dir, h);
        out.println("Plots: " + files.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", ")) + " in " + dir);
    }

    /** @return the steps and their epochs' summaries, without validations */
    static TrainingHistory fromSteps(List<StepReport> steps) {
        List<EpochReport> epochs = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= steps.size(); i++) {
            if (i == steps.size() || steps.get(i).epoch() != steps.get(from).epoch()) {
                List<StepReport> e = steps.subList(from, i);
                StepReport last = e.get(e.size() - 1);
                epochs.add(new EpochReport(last.epoch(), last.step(), last.examples(), e.size(),
                        e.stream().mapToDouble(StepReport::loss).average().orElse(Double.NaN),
                        e.stream().mapToDouble(StepReport::accuracy).average().orElse(Double.NaN),
                        e.stream().mapToLong(StepReport::nanos).sum() / 1e9));
                from = i;
            }
        }
        return new TrainingHistory(steps, epochs, List.of());
    }
}
