package io.github.recurra.examples;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.api.train.ValidationSchedule;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a network built from options on a CSV time series (a last-step forecaster) or a text (a per-step
 * next-character classifier), as {@link DataOptions} reads them; prints the per-epoch training loss, the final
 * metrics on the training, validation and test parts, and a baseline computed from the same test part; optionally
 * saves the model ({@code --save}) and plots the run ({@code --plot}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a recurrent network on a CSV time series (--csv FILE --column NAME) or a text "
                + "(--text FILE), and compare it with a baseline on the held-out test part.",
            "Example: recurra train --csv co2.csv --column CO2 --window 24 --cell lstm --hidden 32 --epochs 20 "
                    + "--save co2.recurra --plot plots"})
final class TrainCommand implements Runnable {

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--cell", defaultValue = "basic-lstm",
            description = "rnn, basic-lstm (forget bias 1), lstm (and peepholes) or gru (reset before the product, "
                    + "TensorFlow 1's), as recurra mnist names them (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden units per direction (default: "
            + "${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers (default: "
            + "${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--direction", defaultValue = "forward",
            description = "forward, reverse or bidirectional (default: ${DEFAULT-VALUE}; a text model reads "
                    + "forward only).")
    String direction;

    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the training part (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "adam, adamw, sgd or rmsprop, clipping the global gradient norm to 5 (default: "
                    + "${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.005", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation and shuffling (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save", paramLabel = "FILE.recurra",
            description = "After training, save the model as a Recurra model file (atomic).")
    Path save;

    @Mixin
    PlotOption plot = new PlotOption();

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend name (default: ${DEFAULT-VALUE}).")
    String backend;

    /** Called by picocli. */
    TrainCommand() {
    }

    static Direction direction(String name) {
        for (Direction d : Direction.values()) {
            if (d.onnxName().equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + name + "'; choose forward, reverse or "
                + "bidirectional");
    }

    @Override
    public void run() {
        Cli.provider("--backend", backend);
        if (hidden < 1 || layers < 1 || epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("--hidden, --layers, --epochs and --batch must be at least 1 but were "
                    + hidden + ", " + layers + ", " + epochs + " and " + batch);
        }
        Direction dir = direction(direction);
        Optimizer opt = Training.optimizer(optimizer, learningRate);
        Training.cell(cell, hidden);
        if (save != null) {
            Cli.requireDirectoryOf(save, "--save");
        }
        plot.prepare();
        DataOptions.Data d = data.load();
        if (d.isText() && dir != Direction.FORWARD) {
            throw new IllegalArgumentException("--direction " + direction + " would read the characters it is to "
                    + "predict (a per-step text model must read forward only); drop --direction");
        }
        Network network = network(d.train().features(), d.head(), dir);
        // the validation part is scored after every epoch: the log and --plot show it next to the training loss
        Trainer trainer = Trainer.builder().optimizer(opt).batchSize(batch).epochs(epochs).seed(seed)
                .validation(d.validation(), ValidationSchedule.eachEpoch())
                .listener(Training.epochLog(System.out)).build();
        try (Backend be = Backends.named(backend)) {
            System.out.printf(Locale.ROOT, "%s%n%d steps of %d, %s lr %s, seed %d; %s; backend %s%n",
                    d.description(), trainer.steps(d.train().size()), batch, optimizer, learningRate, seed, network,
                    be.name());
            try (Model model = be.compile(network, Initialization.defaults().initialize(network, seed))) {
                TrainingResult r = trainer.fit(model, d.train());
                System.out.printf(Locale.ROOT, "Trained %d steps (%d examples) in %.1f s%n", r.steps(), r.examples(),
                        r.seconds());
                System.out.println(DataOptions.score(model, d, d.train(), "Training"));
                System.out.println(DataOptions.score(model, d, d.validation(), "Validation"));
                System.out.println(DataOptions.score(model, d, d.test(), "Test"));
                System.out.println(DataOptions.baseline(d));
                if (d.isText()) {
                    System.out.println("Sample: " + Training.sampleLine(Training.generate(model, d.chars(), 120)));
                }
                if (save != null) {
                    ModelFile.of(network, model.parameters()).save(save);
                    System.out.println("Saved model file " + save);
                }
                plot.write(r, System.out);
            }
        }
    }

    /** @return the stacked layers (every step between them) and the head */
    Network network(int features, Head head, Direction dir) {
        Network.Builder b = Network.builder(features);
        for (int k = 0; k < layers; k++) {
            b.layer(Sequence.builder(Training.cell(cell, hidden)).direction(dir)
                    .returnSequences(k < layers - 1 || head.target() == Head.Target.EVERY_STEP).build());
        }
        return b.head(head).build();
    }
}
