package io.github.recurra.examples;

import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Synthetic;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Evaluation;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingResult;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Small end-to-end demos of the other kinds of network: a last-step regressor (the adding problem), sequence taggers
 * (copy memory, next-character prediction) and a per-step regressor (noisy sine). Each trains, reports test metrics
 * next to a trivial baseline, and the text task generates characters with streaming inference.
 */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = {"Train on a synthetic task or a text: adding, copy, sine or text.",
            "For text, try: --task text --cell lstm --hidden 128 --epochs 40 --lr 0.01"})
final class TaskCommand implements Runnable {

    @Option(names = "--task", required = true, description = "adding, copy, sine or text.")
    String task;

    @Option(names = "--cell", defaultValue = "gru",
            description = "basic-lstm, lstm (peepholes), gru or rnn, as recurra mnist names them (default: "
                    + "${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of data, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bidirectional", description = "Read sequences in both directions (not for text generation; "
            + "default: off).")
    boolean bidirectional;

    @Option(names = "--text", description = "Text file for --task text (default: this project's README.md).")
    Path text;

    @Option(names = "--no-progress", description = "Show no progress (by default a bar on a terminal, a plain line "
            + "every 10 s when the output is not one).")
    boolean noProgress;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend name (default: ${DEFAULT-VALUE}).")
    String backend;

    @Mixin
    PlotOption plot = new PlotOption();

    @Override
    public void run() {
        if (epochs < 1 || hidden < 1) {
            throw new IllegalArgumentException("--epochs and --hidden must be at least 1 but were " + epochs + " and "
                    + hidden);
        }
        Training.cell(cell, hidden);
        Cli.provider("--backend", backend);
        plot.prepare();
        try (Backend be = Backends.named(backend)) {
            run(be);
        }
    }

    /** The command on an open backend, which the caller closes. */
    private void run(Backend be) {
        Dataset train;
        Dataset test;
        Head head;
        String baseline;
        CharText chars = null;
        switch (task) {
            case "adding":
                train = Synthetic.adding(10_000, 30, seed);
                test = Synthetic.adding(1000, 30, seed + 1);
                head = Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR);
                baseline = "always answering 1 scores an MSE of about 0.167";
                break;
            case "copy":
                train = Synthetic.copyMemory(4000, 8, 5, 10, seed);
                test = Synthetic.copyMemory(500, 8, 5, 10, seed + 1);
                head = Head.of(10, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY);
                baseline = "answering blank everywhere scores an accuracy of " + String.format(Locale.ROOT, "%.3f",
                        15.0 / 20);
                break;
            case "sine":
                train = Synthetic.noisySine(2000, 50, 0.1, seed);
                test = Synthetic.noisySine(200, 50, 0.1, seed + 1);
                head = Head.of(1, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR);
                baseline = "repeating the noisy input scores an MSE of " + String.format(Locale.ROOT, "%.4f",
                        Training.repeatInputMse(test));
                break;
            case "text":
                chars = CharText.of(Training.readText(text != null ? text
                        : Path.of(System.getProperty("recurra.home", "."), "README.md")), 64, 16);
                java.util.List<Dataset> parts = chars.dataset().splitLast(Math.max(1, chars.dataset().size() / 10));
                train = parts.get(0);
                test = parts.get(1);
                head = Head.of(chars.vocabulary().length, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY);
                baseline = "always answering the most frequent character scores " + String.format(Locale.ROOT,
                        "%.4f", Training.mostFrequentAccuracy(test, chars.vocabulary().length));
                break;
            default:
                throw new IllegalArgumentException("unknown task '" + task + "'; choose adding, copy, sine or text");
        }
        if (bidirectional && chars != null) {
            throw new IllegalArgumentException("--bidirectional cannot generate text (it needs the future); drop it");
        }
        Sequence layer = Sequence.builder(Training.cell(cell, hidden))
                .direction(bidirectional ? Direction.BIDIRECTIONAL : Direction.FORWARD)
                .returnSequences(head.target() == Head.Target.EVERY_STEP).build();
        Network net = Network.builder(train.features()).layer(layer).head(head).build();
        System.out.printf(Locale.ROOT, "task %s: %d training and %d test sequences of %d steps; %s; %s%n", task,
                train.size(), test.size(), train.timeSteps(), net, be.name());
        try (Model model = be.compile(net, Initialization.defaults().initialize(net, seed));
                TrainingProgress progress = TrainingProgress.standardOutput(!noProgress)) {
            TrainingResult r = Trainer.builder().optimizer(Training.optimizer("adam", learningRate)).batchSize(64)
                    .epochs(epochs).seed(seed).listener(Training.epochLog(progress.lines()))
                    .listener(progress.training()).build().fit(model, train);
            Evaluation e = progress.evaluate("Testing", model, test, 256);
            System.out.printf(Locale.ROOT, "Test %s: %.4f (%s)%n", head.loss() == Head.Loss.MEAN_SQUARED_ERROR
                    ? "MSE" : "accuracy", head.loss() == Head.Loss.MEAN_SQUARED_ERROR ? e.loss() : e.accuracy(),
                    baseline);
            if (chars != null) {
                System.out.println("Sample: " + Training.sampleLine(Training.generate(model, chars, 200)));
            }
            plot.write(r, System.out);
        }
    }
}
