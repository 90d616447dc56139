package io.github.recurra.api.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a run's history to a CSV file as it happens, as Keras' {@code CSVLogger} does: a header row naming the
 * columns, then one row per step ({@link #steps}) or one row per epoch end and per validation scoring
 * ({@link #epochs}). RFC 4180 CSV (Apache Commons CSV's default format, comma separated, CRLF between records), UTF-8;
 * numbers as Java writes a {@code double} ({@link Double#toString}, so they read back exactly, {@code NaN} for a
 * missing accuracy), empty cells where a row kind has no value.
 *
 * <p>Columns of {@link #steps}: {@value #STEP_HEADER} (the {@link StepReport} fields, {@code seconds} its wall time).
 * Columns of {@link #epochs}: {@value #EPOCH_HEADER}, where {@code event} is {@code epoch} (an {@link EpochReport}:
 * mean loss and accuracy over the epoch's minibatches, its steps and seconds) or {@code validation} (a
 * {@link ValidationReport}: the validation set's loss and accuracy; no steps or seconds). Both end with the
 * learning-rate factor when the row was written ({@link TrainingControl#learningRateFactor}).
 *
 * <p>Each row is appended and the file closed before the run goes on, so a run that is killed leaves a file whose
 * every row is complete. The file is created (or emptied) with its header in {@code onStart}, unless
 * {@link #appending()} asks to add to an existing log (the header is then written only if the file is missing or
 * empty), which suits a resumed run. Stateless and immutable; one instance may serve runs one after the other.
 */
public final class CsvLog implements TrainingListener {
    /** The header of a per-step log. */
    public static final String STEP_HEADER = "step,epoch,examples,loss,accuracy,gradient_norm,seconds,"
            + "learning_rate_factor";
    /** The header of a per-epoch log. */
    public static final String EPOCH_HEADER = "event,step,epoch,examples,loss,accuracy,steps,seconds,"
            + "learning_rate_factor";
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT;

    private final Path file;
    private final boolean perStep;
    private final boolean append;

    private CsvLog(Path file, boolean perStep, boolean append) {
        this.file = Objects.requireNonNull(file, "file");
        this.perStep = perStep;
        this.append = append;
    }

    /**
     * @param file the CSV file, in an existing directory
     * @return a log with one row per step
     */
    public static CsvLog steps(Path file) {
        return new CsvLog(file, true, false);
    }

    /**
     * @param file the CSV file, in an existing directory
     * @return a log with one row per epoch end and one per validation scoring, in the order they happen
     */
    public static CsvLog epochs(Path file) {
        return new CsvLog(file, false, false);
    }

    /** @return the same log, adding rows to an existing file instead of starting it again */
    public CsvLog appending() {
        return new CsvLog(file, perStep, true);
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return true for one row per step, false for rows per epoch and validation */
    public boolean perStep() {
        return perStep;
    }

    /** @return whether it adds to an existing file */
    public boolean appends() {
        return append;
    }

    /** @return the column names, in order */
    public List<String> columns() {
        return List.of((perStep ? STEP_HEADER : EPOCH_HEADER).split(","));
    }

    /**
     * Starts the file with its header (or, {@link #appending()}, keeps it).
     *
     * @throws IllegalArgumentException if the file's directory does not exist
     * @throws UncheckedIOException     if the file cannot be written
     */
    @Override
    public void onStart(long totalSteps, TrainingControl control) {
        Callbacks.checkDirectory(file, "CSV log");
        try {
            if (append && Files.isRegularFile(file) && Files.size(file) > 0) {
                return;
            }
        } catch (IOException e) {
            throw failed(e);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CSVPrinter p = FORMAT.print(w)) {
            p.printRecord((Object[]) (perStep ? STEP_HEADER : EPOCH_HEADER).split(","));
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void onStep(StepReport r, TrainingControl control) {
        if (perStep) {
            row(r.step(), r.epoch(), r.examples(), r.loss(), r.accuracy(), r.gradientNorm(), r.nanos() / 1e9,
                    control.learningRateFactor());
        }
    }

    @Override
    public void onEpochEnd(EpochReport r, TrainingControl control) {
        if (!perStep) {
            row("epoch", r.step(), r.epoch(), r.examples(), r.meanLoss(), r.meanAccuracy(), r.steps(), r.seconds(),
                    control.learningRateFactor());
        }
    }

    @Override
    public void onValidation(ValidationReport r, TrainingControl control) {
        if (!perStep) {
            row("validation", r.step(), r.epoch(), r.examples(), r.loss(), r.accuracy(), "", "",
                    control.learningRateFactor());
        }
    }

    /** Appends one record and closes the file, so that it is on disk before the run goes on. */
    private void row(Object... values) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND); CSVPrinter p = FORMAT.print(w)) {
            p.printRecord(values);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private UncheckedIOException failed(IOException e) {
        return new UncheckedIOException("cannot write the training CSV log " + file + ": " + e.getMessage()
                + "; check the path and the free space, or leave the log out", e);
    }

    @Override
    public String toString() {
        return "CsvLog{" + file + (perStep ? ", per step" : ", per epoch and validation")
                + (append ? ", appending" : "") + "}";
    }
}
