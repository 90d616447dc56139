package io.github.recurra.examples;

import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.TimeSeries;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Evaluation;
import io.github.recurra.api.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The data options of {@code train} and {@code evaluate} (a picocli mixin): a CSV time series ({@code --csv FILE
 * --column NAME --window N --horizon H}: forecast the column {@code H} rows after a window of its last {@code N}
 * values, {@link TimeSeries#readCsv} with the rows split in time order into {@value #TRAIN_PERCENT}% training,
 * {@value #VALIDATION_PERCENT}% validation and the rest test, standardised with the training part's mean and
 * deviation) or a text ({@code --text FILE}: next-character prediction over windows of {@code N} characters,
 * {@link CharText}, the last {@value #TEXT_HOLDOUT_PERCENT}% of the windows for test and the
 * {@value #TEXT_HOLDOUT_PERCENT}% before them for validation). The same options give the same split, so
 * {@code evaluate} scores a model on exactly the test part {@code train} held out.
 */
final class DataOptions {
    static final int TRAIN_PERCENT = 70;
    static final int VALIDATION_PERCENT = 10;
    static final int TEXT_HOLDOUT_PERCENT = 10;
    static final int DEFAULT_CSV_WINDOW = 24;
    static final int DEFAULT_TEXT_WINDOW = 64;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "A CSV time series (one row per time step, a header row of names); needs --column.")
    Path csv;

    @Option(names = "--column", paramLabel = "NAME",
            description = "The CSV column to forecast from its own past (by name, or index from 0).")
    String column;

    @Option(names = "--window", paramLabel = "N",
            description = "Steps per example: rows of the CSV (default " + DEFAULT_CSV_WINDOW + ") or characters "
                    + "of the text (default " + DEFAULT_TEXT_WINDOW + ").")
    Integer window;

    @Option(names = "--horizon", paramLabel = "H", defaultValue = "1",
            description = "Forecast the value H rows after the window's last row (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--text", paramLabel = "FILE",
            description = "A UTF-8 text for character-level next-character prediction.")
    Path text;

    /** Called by picocli. */
    DataOptions() {
    }

    /**
     * Data read and split.
     *
     * @param description what was read, for the log
     * @param train       the training part
     * @param validation  the validation part
     * @param test        the test part
     * @param head        the head a network needs for these data
     * @param chars       the text's vocabulary, or null for a CSV
     * @param series      the time series with its normalisation, or null for a text
     * @param column      the forecast column's index in {@code series.columns()}, or -1 for a text
     */
    record Data(String description, Dataset train, Dataset validation, Dataset test, Head head, CharText chars,
            TimeSeries series, int column) {
        /** @return whether the data are a text */
        boolean isText() {
            return chars != null;
        }
    }

    /** @return whether {@code --csv} or {@code --text} was given */
    boolean given() {
        return csv != null || text != null;
    }

    /**
     * Reads the data the options name.
     *
     * @return the data
     * @throws IllegalArgumentException unless exactly one of {@code --csv} and {@code --text} is given (with
     *                                  {@code --column} for a CSV), or if the file does not hold enough data
     */
    Data load() {
        if ((csv == null) == (text == null)) {
            throw new IllegalArgumentException("give the data as exactly one of --csv FILE --column NAME (a time "
                    + "series) or --text FILE (characters)" + (csv != null ? ", not both" : ""));
        }
        if (window != null && window < 1) {
            throw new IllegalArgumentException("--window must be at least 1 but was " + window);
        }
        if (csv != null) {
            if (column == null) {
                throw new IllegalArgumentException("--csv needs --column NAME, the column to forecast");
            }
            int w = window != null ? window : DEFAULT_CSV_WINDOW;
            TimeSeries s = TimeSeries.readCsv(csv, List.of(column), List.of(column), w, horizon,
                    TRAIN_PERCENT / 100.0, VALIDATION_PERCENT / 100.0);
            String d = String.format(Locale.ROOT, "%s column '%s': windows of %d rows, forecast %d ahead; %d "
                            + "training, %d validation, %d test windows", csv, column, w, horizon, s.train().size(),
                    s.validation().size(), s.test().size());
            return new Data(d, s.train(), s.validation(), s.test(),
                    Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR), null, s,
                    s.columns().contains(column) ? s.columns().indexOf(column) : Integer.parseInt(column));
        }
        if (column != null) {
            throw new IllegalArgumentException("--column is for --csv; a text has no columns, drop it");
        }
        int w = window != null ? window : DEFAULT_TEXT_WINDOW;
        CharText chars = CharText.of(Training.readText(text), w, Math.max(1, w / 4));
        Dataset all = chars.dataset();
        int holdout = all.size() * TEXT_HOLDOUT_PERCENT / 100;
        if (holdout < 1 || all.size() - 2 * holdout < 1) {
            throw new IllegalArgumentException(text + " gives " + all.size() + " windows of " + w + " characters, "
                    + "too few to hold out " + TEXT_HOLDOUT_PERCENT + "% for validation and for test; use a longer "
                    + "text or a shorter --window");
        }
        List<Dataset> a = all.splitLast(holdout);
        List<Dataset> b = a.get(0).splitLast(holdout);
        String d = String.format(Locale.ROOT, "%s: %d distinct characters, windows of %d; %d training, %d "
                + "validation, %d test windows", text, chars.vocabulary().length, w, b.get(0).size(),
                b.get(1).size(), a.get(1).size());
        return new Data(d, b.get(0), b.get(1), a.get(1),
                Head.of(chars.vocabulary().length, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY), chars,
                null, -1);
    }

    /**
     * Fails unless a network fits the data: the same number of input features and the same kind of head.
     *
     * @param network the network
     * @param data    the data
     * @param what    the network, for the message ({@code the model m.recurra})
     * @throws IllegalArgumentException if they do not fit
     */
    static void requireFits(Network network, Data data, String what) {
        Head h = network.head().orElseThrow(() -> new IllegalArgumentException(what + " has no head, so it cannot "
                + "be scored; evaluate a model trained with a head (recurra train, recurra mnist)"));
        Head want = data.head();
        if (network.inputSize() != data.test().features()) {
            throw new IllegalArgumentException(what + " reads " + network.inputSize() + " features per step but "
                    + "the data have " + data.test().features() + (data.isText() ? " (the text's distinct "
                    + "characters; use the text the model was trained on)" : "") + "; give the data it was trained "
                    + "on");
        }
        if (h.loss() != want.loss() || h.target() != want.target() || h.outputs() != want.outputs()) {
            throw new IllegalArgumentException(what + "'s head is " + h + " but these data need " + want
                    + "; give the kind of data it was trained on");
        }
    }

    /**
     * Scores a model on a part of the data and says it in one line: loss and accuracy for a classifier; MSE, MAE and
     * RMSE, standardised and in the column's units, for a regressor.
     *
     * @param model the model
     * @param data  the data
     * @param part  one of its parts
     * @param label the part's name, first on the line ({@code Test})
     * @return the line
     */
    static String score(Model model, Data data, Dataset part, String label) {
        Evaluation e = Trainer.evaluate(model, part, 256);
        return format(label, e, data.series() == null ? null : Training.regressionErrors(model, part, 256), data);
    }

    /**
     * @param label  first on the line
     * @param e      loss and accuracy
     * @param errors regression errors (standardised), or null for a classifier
     * @param data   the data (for a regression's units), or null for MNIST
     * @return the line
     */
    static String format(String label, Evaluation e, Training.Errors errors, Data data) {
        if (errors == null) {
            return String.format(Locale.ROOT, "%s: loss %.4f, accuracy %.4f (%d examples)", label, e.loss(),
                    e.accuracy(), e.examples());
        }
        Training.Errors units = errors.scaled(data.series().std()[data.column()]);
        return String.format(Locale.ROOT, "%s: MSE %.4f, MAE %.4f, RMSE %.4f (standardised); MAE %.4g, RMSE %.4g "
                        + "(data units) (%d examples)", label, e.loss(), errors.mae(), errors.rmse(), units.mae(),
                units.rmse(), e.examples());
    }

    /**
     * The baseline of these data, on their test part: always the most frequent character for a text, the last value
     * of the window (persistence) for a time series.
     *
     * @param data the data
     * @return a sentence
     */
    static String baseline(Data data) {
        if (data.isText()) {
            return String.format(Locale.ROOT, "Baseline: always answering the most frequent character scores "
                    + "accuracy %.4f", Training.mostFrequentAccuracy(data.test(), data.chars().vocabulary().length));
        }
        Training.Errors p = Training.lastValueErrors(data.test(), 0);
        Training.Errors units = p.scaled(data.series().std()[data.column()]);
        return String.format(Locale.ROOT, "Baseline: repeating the window's last value scores MSE %.4f, MAE %.4f "
                + "(standardised); MAE %.4g, RMSE %.4g (data units)", p.rmse() * p.rmse(), p.mae(), units.mae(),
                units.rmse());
    }
}
