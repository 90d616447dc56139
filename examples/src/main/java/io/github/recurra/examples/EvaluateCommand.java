package io.github.recurra.examples;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Mnist;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Evaluation;
import io.github.recurra.api.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores a saved model ({@link LoadedModel#load}: a Recurra model file, a checkpoint, or an ONNX file) on the test part
 * of its kind of data: MNIST's test images ({@code --data DIR}, for a classifier of 28 rows of 28 pixels), or the test
 * part of a CSV time series or a text read with the options of {@code train} ({@link DataOptions}). Prints the loss
 * and accuracy of a classifier, or the MSE, MAE and RMSE of a regressor, and the data's baseline.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a saved model (.recurra, checkpoint or .onnx) on test data: MNIST (--data DIR) or "
                + "the test part of a CSV time series or text, split as train splits it.",
            "Example: recurra evaluate --model co2.recurra --csv co2.csv --column CO2 --window 24"})
final class EvaluateCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model: a .recurra file or checkpoint, or an .onnx file.")
    Path model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A directory with MNIST's IDX files: score on its test images (t10k-*).")
    Path mnist;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend name (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N",
            description = "Examples per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    /** Called by picocli. */
    EvaluateCommand() {
    }

    @Override
    public void run() {
        Cli.provider("--backend", backend);
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1 but was " + batch);
        }
        if ((mnist != null) == data.given()) {
            throw new IllegalArgumentException("give the test data as exactly one of --data DIR (MNIST), --csv FILE "
                    + "--column NAME or --text FILE");
        }
        LoadedModel m = LoadedModel.load(model);
        String what = "the model " + model;
        DataOptions.Data d = null;
        Dataset test;
        String description;
        if (mnist != null) {
            test = Mnist.load(mnist).test();
            description = "MNIST test images from " + mnist;
            Head h = m.network().head().orElseThrow(() -> new IllegalArgumentException(what + " has no head, so it "
                    + "cannot be scored; evaluate a classifier"));
            if (m.network().inputSize() != test.features() || h.loss() != Head.Loss.SOFTMAX_CROSS_ENTROPY
                    || h.target() != Head.Target.LAST_STEP || h.outputs() != 10) {
                throw new IllegalArgumentException(what + " is not an MNIST row classifier (28 features per step, a "
                        + "last-step softmax head of 10 classes): it reads " + m.network().inputSize() + " features "
                        + "and its head is " + h + "; give the data it was trained on");
            }
        } else {
            d = data.load();
            DataOptions.requireFits(m.network(), d, what);
            test = d.test();
            description = d.description();
        }
        try (Backend be = Backends.named(backend); Model compiled = be.compile(m.network(), m.parameters())) {
            System.out.printf(Locale.ROOT, "%s; %s; backend %s%n", m.source(), description, be.name());
            if (d == null) {
                Evaluation e = Trainer.evaluate(compiled, test, batch);
                System.out.println(DataOptions.format("Test", e, null, null));
            } else {
                System.out.println(DataOptions.score(compiled, d, test, "Test"));
                System.out.println(DataOptions.baseline(d));
            }
        }
    }
}
