package io.github.recurra.examples;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.optim.Adam;
import io.github.recurra.api.optim.AdamW;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.RmsProp;
import io.github.recurra.api.optim.Sgd;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.Streaming;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.TrainingControl;
import io.github.recurra.api.train.ValidationReport;
import io.github.recurra.api.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the training commands ({@code task}, {@code train}, {@code evaluate}) share: cells and optimizers by their
 * command-line names, the per-epoch log, the baselines a trained model is compared with, regression errors, and greedy
 * text generation.
 */
final class Training {
    /** The global gradient norm the commands clip to. */
    static final double CLIP_NORM = 5.0;

    private Training() {
    }

    /**
     * A cell by the names {@code recurra mnist} uses ({@link Variant}): {@code rnn} (tanh), {@code basic-lstm}
     * (forget bias 1, TensorFlow's {@code BasicLSTMCell}), {@code lstm} (the same with peepholes, TensorFlow's
     * {@code LSTMCell}) or {@code gru} (reset gate before the recurrent product, TensorFlow 1's {@code GRUCell}).
     *
     * @param name   the name
     * @param hidden hidden units
     * @return the cell
     * @throws IllegalArgumentException for another name ({@code gru-dynamic} included: it is MNIST's ink lengths)
     */
    static Cell cell(String name, int hidden) {
        Variant v = Variant.parse(name);
        if (v.dynamic()) {
            throw new IllegalArgumentException("--cell " + name + " reads MNIST images down to their last inked row, "
                    + "which only the mnist command does; for a task, choose " + Variant.GRU.cliName()
                    + " (the same cell)");
        }
        return v.cell(hidden);
    }

    /**
     * @param name         {@code adam}, {@code adamw}, {@code sgd} or {@code rmsprop}
     * @param learningRate the constant learning rate
     * @return the optimizer with the rest at its defaults, clipping the global gradient norm to {@value #CLIP_NORM}
     * @throws IllegalArgumentException for another name or a learning rate that is not positive
     */
    static Optimizer optimizer(String name, double learningRate) {
        Clipping clip = Clipping.globalNorm(CLIP_NORM);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "adam" -> Adam.builder().learningRate(learningRate).clipping(clip).build();
            case "adamw" -> AdamW.builder().learningRate(learningRate).clipping(clip).build();
            case "sgd" -> Sgd.builder().learningRate(learningRate).clipping(clip).build();
            case "rmsprop" -> RmsProp.builder().learningRate(learningRate).clipping(clip).build();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose adam, adamw, sgd "
                    + "or rmsprop");
        };
    }

    /**
     * @param out where to print
     * @return a listener printing {@code Epoch N, mean training loss L} at the end of every epoch, and the validation
     *     loss (and accuracy, for classifiers) whenever the trainer scores its validation set
     */
    static TrainingListener epochLog(PrintStream out) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochReport r, TrainingControl control) {
                out.printf(Locale.ROOT, "Epoch %d, mean training loss %.5f%n", r.epoch(), r.meanLoss());
            }

            @Override
            public void onValidation(ValidationReport r, TrainingControl control) {
                out.printf(Locale.ROOT, "  validation after step %d: loss %.5f%s%n", r.step(), r.loss(),
                        Double.isNaN(r.accuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.4f", r.accuracy()));
            }
        };
    }

    /**
     * @param d a dataset with one real value per step as input and target ({@code VALUES_PER_STEP})
     * @return the MSE of predicting each step's target by that step's input
     */
    static double repeatInputMse(Dataset d) {
        int t = d.timeSteps();
        float[] x = new float[t];
        float[] y = new float[t];
        double sum = 0;
        for (int i = 0; i < d.size(); i++) {
            d.copyInputs(i, x, 0);
            d.copyTargets(i, y, 0);
            for (int s = 0; s < t; s++) {
                sum += (x[s] - y[s]) * (double) (x[s] - y[s]);
            }
        }
        return sum / ((double) d.size() * t);
    }

    /**
     * @param d       a per-step classification dataset
     * @param classes its number of classes
     * @return the accuracy of always answering its most frequent per-step label
     */
    static double mostFrequentAccuracy(Dataset d, int classes) {
        int t = d.timeSteps();
        int[] labels = new int[t];
        long[] counts = new long[classes];
        for (int i = 0; i < d.size(); i++) {
            d.copyLabels(i, labels, 0);
            for (int l : labels) {
                counts[l]++;
            }
        }
        return Arrays.stream(counts).max().orElse(0) / ((double) d.size() * t);
    }

    /**
     * The persistence forecast: the target predicted by the last step's value of input feature {@code feature}.
     *
     * @param d       a dataset with one real target per example ({@code VALUES})
     * @param feature the input feature that is the target's own past
     * @return its errors
     */
    static Errors lastValueErrors(Dataset d, int feature) {
        int per = d.timeSteps() * d.features();
        float[] x = new float[per];
        float[] y = new float[d.targetSize()];
        io.github.recurra.examples.forecast.Errors.Sum sum = new io.github.recurra.examples.forecast.Errors.Sum();
        for (int i = 0; i < d.size(); i++) {
            d.copyInputs(i, x, 0);
            d.copyTargets(i, y, 0);
            sum.add(x[per - d.features() + feature], y[0]);
        }
        return Errors.of(d.size(), sum.errors());
    }

    /**
     * The errors of a regressor on a dataset of real-valued targets, over every target value.
     *
     * @param model a model whose head is a regression head
     * @param d     a dataset of {@code VALUES} or {@code VALUES_PER_STEP} targets
     * @param batch examples per forward pass
     * @return mean absolute error and root mean squared error
     */
    static Errors regressionErrors(Model model, Dataset d, int batch) {
        io.github.recurra.examples.forecast.Errors.Sum sum = new io.github.recurra.examples.forecast.Errors.Sum();
        for (Batch b : d.batches(batch)) {
            float[] p = model.forward(b, null).logits().data();
            float[] y = b.targets().data();
            for (int i = 0; i < y.length; i++) {
                sum.add(p[i], y[i]);
            }
        }
        return Errors.of(d.size(), sum.errors());
    }

    /**
     * Errors of a regression.
     *
     * @param examples how many examples were scored
     * @param mae      the mean absolute error
     * @param rmse     the root mean squared error
     */
    record Errors(int examples, double mae, double rmse) {
        /** The errors of a {@link io.github.recurra.examples.forecast.Errors.Sum} over {@code examples} examples. */
        static Errors of(int examples, io.github.recurra.examples.forecast.Errors e) {
            return new Errors(examples, e.mae(), e.rmse());
        }

        /**
         * @param scale a column's standard deviation
         * @return the errors in the column's own units (the data were standardised with that deviation)
         */
        Errors scaled(double scale) {
            return new Errors(examples, mae * scale, rmse * scale);
        }
    }

    /**
     * @param file a UTF-8 text file
     * @return its contents
     * @throws UncheckedIOException if it cannot be read
     */
    static String readText(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--text " + file + " does not exist; give an existing UTF-8 text file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--text " + file + " is a directory; give a UTF-8 text file in it");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("cannot read " + file + " as text: it is not UTF-8; give a UTF-8 text "
                    + "file with --text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Greedy generation: feed one character at a time and take the most likely next one. */
    static String generate(Model model, CharText chars, int count) {
        int v = chars.vocabulary().length;
        StringBuilder out = new StringBuilder();
        try (Streaming s = model.openStream(1)) {
            int c = chars.encode(chars.vocabulary()[0]);
            float[] start = new float[v];
            for (int i = 0; i < count; i++) {
                Arrays.fill(start, 0f);
                start[c] = 1f;
                Forward f = s.feed(Tensor.of(start, 1, 1, v));
                float[] p = f.predictions().data();
                int best = 0;
                for (int j = 1; j < v; j++) {
                    if (p[j] > p[best]) {
                        best = j;
                    }
                }
                c = best;
                out.append(chars.decode(c));
            }
        }
        return out.toString();
    }

    /**
     * @param generated generated characters
     * @return them on one line: every run of white space (line breaks, and the spaces a model repeats once it has
     *     nothing more to say) as one space, none at the ends; {@code (only white space)} if nothing else is left
     */
    static String sampleLine(String generated) {
        String line = generated.replaceAll("\\s+", " ").strip();
        return line.isEmpty() ? "(only white space)" : line;
    }
}
