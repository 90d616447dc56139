package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Mnist;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.cpu.CpuBackendModule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example program, in small (a 16-unit LSTM, 3,200 examples) on a generated MNIST-format dataset. The
 * README's file itself is compiled and run against the installed artifacts by scripts/check-user-project.sh.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleRuns() throws Exception {
        MnistCommandTest.writeSet(dir, "train", 6000, new Random(1));
        MnistCommandTest.writeSet(dir, "t10k", 200, new Random(2));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

        Backend backend = Guice.createInjector(new CpuBackendModule()).getInstance(Backend.class);
        Mnist mnist = Mnist.load(dir);
        Network net = Network.builder(28)
                .layer(Sequence.of(LstmCell.builder(16).forgetBias(1f).build()))
                .head(Head.classifier(10))
                .build();
        double accuracy;
        try (Model model = backend.compile(net, Initialization.defaults().initialize(net, 42))) {
            Trainer.builder().optimizer(Optimizer.adam(1e-2)).batchSize(128).examples(3200)
                    .listener(TrainingListener.tutorialLog(10, out))
                    .checkpointEvery(200, dir.resolve("mnist.ckpt"))
                    .build()
                    .fit(model, mnist.train().splitLast(5000).get(0));
            accuracy = Trainer.evaluate(model, mnist.test(), 500).accuracy();
            ModelFile.of(net, model.parameters()).save(dir.resolve("mnist.recurra"));
        }
        ModelFile saved = ModelFile.load(dir.resolve("mnist.recurra"));
        try (Model again = backend.compile(saved.network(), saved.parameters())) {
            assertEquals(accuracy, Trainer.evaluate(again, mnist.test(), 500).accuracy());
        }
        backend.close();
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Iter 1280, Minibatch Loss="));
    }
}
