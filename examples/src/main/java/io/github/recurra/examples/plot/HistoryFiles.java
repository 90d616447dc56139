package io.github.recurra.examples.plot;

import io.github.recurra.api.io.AtomicFiles;
import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.TrainingHistory;
import io.github.recurra.api.train.ValidationReport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A training run's {@link TrainingHistory} as files in one directory (the tool's {@code --plot DIR}):
 * <ul>
 *   <li>{@value #LOSS}: the minibatch loss of every step (faint), its trailing mean over a window of
 *       {@link #smoothingWindow} steps, each epoch's mean loss as a level over the epoch's steps, and the validation
 *       loss as markers where validations happened; the y axis is logarithmic when the losses span more than two
 *       orders of magnitude;</li>
 *   <li>{@value #ACCURACY}: the same for accuracy, written only when the history has a finite accuracy (a
 *       classifier);</li>
 *   <li>{@value #CSV}: the numbers, one row per step, columns {@link #CSV_HEADER}; {@code epoch_mean_*} are filled
 *       on the last step of each epoch and {@code validation_*} on the step after which a validation was scored
 *       (a validation before the first step gets a row of its own with step 0); an empty cell is a value that was
 *       not measured (no validation at that step, or the accuracy of a regression).</li>
 * </ul>
 * Every file is written atomically ({@link AtomicFiles}).
 */
public final class HistoryFiles {
    /** The loss chart's file name. */
    public static final String LOSS = "loss.png";
    /** The accuracy chart's file name. */
    public static final String ACCURACY = "accuracy.png";
    /** The table's file name. */
    public static final String CSV = "history.csv";
    /** The columns of {@value #CSV}, in order. */
    public static final List<String> CSV_HEADER = List.of("step", "epoch", "examples", "loss", "accuracy",
            "gradient_norm", "step_ms", "epoch_mean_loss", "epoch_mean_accuracy", "validation_loss",
            "validation_accuracy");

    private HistoryFiles() {
    }

    /**
     * Makes sure {@code dir} can take the files: creates it (and missing parents) if it does not exist.
     *
     * @param dir    the directory
     * @param option the option that named it, for messages
     * @return the directory
     * @throws IllegalArgumentException if {@code dir} exists and is not a directory
     * @throws UncheckedIOException     if it cannot be created
     */
    public static Path prepare(Path dir, String option) {
        Objects.requireNonNull(dir, "dir");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is a file, but it names the directory the "
                    + "charts go to; give a directory (it is created if missing)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + option + " directory " + dir + ": " + e, e);
        }
        return dir;
    }

    /**
     * Writes the charts and the table of a history into {@code dir} (which must exist; see {@link #prepare}).
     *
     * @param dir     the directory
     * @param history what the run recorded, with at least one step
     * @return the files written, in the order {@value #LOSS}, {@value #ACCURACY} (if written), {@value #CSV}
     * @throws IllegalArgumentException if the history has no step
     * @throws UncheckedIOException     if a file cannot be written
     */
    public static List<Path> write(Path dir, TrainingHistory history) {
        if (history.steps().isEmpty()) {
            throw new IllegalArgumentException("the training history has no step, so there is nothing to plot");
        }
        List<Path> files = new ArrayList<>();
        Path loss = dir.resolve(LOSS);
        Plots.write(loss, lossFigure(history));
        files.add(loss);
        if (history.steps().stream().anyMatch(s -> Double.isFinite(s.accuracy()))) {
            Path acc = dir.resolve(ACCURACY);
            Plots.write(acc, accuracyFigure(history));
            files.add(acc);
        }
        Path csv = dir.resolve(CSV);
        writeCsv(csv, history);
        files.add(csv);
        return files;
    }

    /**
     * @param history a history with at least one step
     * @return the loss chart
     */
    public static Plots.Figure lossFigure(TrainingHistory history) {
        List<Plots.Plot> plots = curves(history, "loss", StepReport::loss, EpochReport::meanLoss,
                ValidationReport::loss);
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Plots.Plot p : plots) {
            for (double y : p.series().y()) {
                if (Double.isFinite(y)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        boolean log = min > 0 && max / min > 100;
        return new Plots.Figure("Training loss", "training step", log ? "loss (log scale)" : "loss", plots, log);
    }

    /**
     * @param history a history with at least one step
     * @return the accuracy chart
     */
    public static Plots.Figure accuracyFigure(TrainingHistory history) {
        return new Plots.Figure("Accuracy", "training step", "accuracy", curves(history, "accuracy",
                StepReport::accuracy, EpochReport::meanAccuracy, ValidationReport::accuracy), false);
    }

    private static List<Plots.Plot> curves(TrainingHistory h, String what, ToDoubleFunction<StepReport> perStep,
            ToDoubleFunction<EpochReport> perEpoch, ToDoubleFunction<ValidationReport> perValidation) {
        List<StepReport> steps = h.steps();
        double[] x = new double[steps.size()];
        double[] y = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = steps.get(i).step();
            y[i] = perStep.applyAsDouble(steps.get(i));
        }
        List<Plots.Plot> plots = new ArrayList<>();
        int w = smoothingWindow(x.length);
        if (w > 1) {
            plots.add(new Plots.Plot(new Plots.Series("minibatch " + what, x, y), Plots.Style.FAINT));
            plots.add(new Plots.Plot(new Plots.Series("minibatch " + what + ", mean of " + w + " steps", x,
                    trailingMean(y, w)), Plots.Style.LINE));
        } else {
            plots.add(new Plots.Plot(new Plots.Series("minibatch " + what, x, y),
                    x.length <= Plots.MARKER_LIMIT ? Plots.Style.LINE_AND_MARKERS : Plots.Style.LINE));
        }
        if (!h.epochs().isEmpty()) {
            double[] ex = new double[2 * h.epochs().size()];
            double[] ey = new double[ex.length];
            for (int i = 0; i < h.epochs().size(); i++) {
                EpochReport e = h.epochs().get(i);
                ex[2 * i] = e.step() - e.steps();
                ex[2 * i + 1] = e.step();
                ey[2 * i] = perEpoch.applyAsDouble(e);
                ey[2 * i + 1] = ey[2 * i];
            }
            plots.add(new Plots.Plot(new Plots.Series("epoch mean", ex, ey), Plots.Style.LINE));
        }
        if (!h.validations().isEmpty()) {
            double[] vx = new double[h.validations().size()];
            double[] vy = new double[vx.length];
            for (int i = 0; i < vx.length; i++) {
                vx[i] = h.validations().get(i).step();
                vy[i] = perValidation.applyAsDouble(h.validations().get(i));
            }
            plots.add(new Plots.Plot(new Plots.Series("validation " + what, vx, vy), Plots.Style.MARKERS));
        }
        return plots;
    }

    /**
     * The smoothing window for a curve of {@code n} steps: none below 20 steps, else half the square root of
     * {@code n}, between 3 and 500 steps (5 for 100 steps, 14 for 800, 50 for 10,000).
     *
     * @param n the number of steps
     * @return the window, 1 for no smoothing
     */
    public static int smoothingWindow(int n) {
        return n < 20 ? 1 : (int) Math.max(3, Math.min(500, Math.round(Math.sqrt(n) / 2)));
    }

    /**
     * The trailing mean: out[i] = mean of the finite values among v[max(0, i − w + 1) .. i] (NaN if none).
     *
     * @param v the values (not modified)
     * @param w the window, at least 1
     * @return a new array of the means
     */
    public static double[] trailingMean(double[] v, int w) {
        if (w < 1) {
            throw new IllegalArgumentException("the smoothing window must be at least 1 step but was " + w);
        }
        double[] out = new double[v.length];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                sum += v[i];
                count++;
            }
            if (i >= w && Double.isFinite(v[i - w])) {
                sum -= v[i - w];
                count--;
            }
            out[i] = count > 0 ? sum / count : Double.NaN;
        }
        return out;
    }

    /**
     * Writes the history as {@value #CSV} (see the class comment for the columns).
     *
     * @param file    the file (its directory must exist); replaced atomically
     * @param history the history
     * @throws UncheckedIOException if it cannot be written
     */
    public static void writeCsv(Path file, TrainingHistory history) {
        Map<Long, Object[]> rows = new TreeMap<>();
        for (StepReport s : history.steps()) {
            Object[] r = row(rows, s.step());
            r[1] = s.epoch();
            r[2] = s.examples();
            r[3] = number(s.loss());
            r[4] = number(s.accuracy());
            r[5] = number(s.gradientNorm());
            r[6] = number(s.nanos() / 1e6);
        }
        for (EpochReport e : history.epochs()) {
            Object[] r = row(rows, e.step());
            r[7] = number(e.meanLoss());
            r[8] = number(e.meanAccuracy());
        }
        for (ValidationReport v : history.validations()) {
            Object[] r = row(rows, v.step());
            if (r[1] == null) {
                r[1] = v.epoch();
                r[2] = v.examples();
            }
            r[9] = number(v.loss());
            r[10] = number(v.accuracy());
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER.toArray(String[]::new))
                .setRecordSeparator('\n').get();
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(w, format);
            for (Object[] r : rows.values()) {
                p.printRecord(r);
            }
            p.flush();
        });
    }

    private static Object[] row(Map<Long, Object[]> rows, long step) {
        return rows.computeIfAbsent(step, s -> {
            Object[] r = new Object[CSV_HEADER.size()];
            r[0] = s;
            return r;
        });
    }

    /** @return the shortest text that reads back as {@code v}, or null (an empty cell) if it is not finite */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v).toLowerCase(Locale.ROOT) : null;
    }
}
