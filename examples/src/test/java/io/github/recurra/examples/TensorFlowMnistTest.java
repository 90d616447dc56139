package io.github.recurra.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Mnist;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.conformance.Tolerance;
import io.github.recurra.conformance.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TensorFlow backend against the CPU backend on real MNIST rows: from the same seed, the tutorial's first 50
 * training steps (Adam 0.001, batch 128, 128 hidden units) give the same loss at every step within the conformance
 * kit's loss-curve tolerance, for each of the tutorial's variants. Needs real MNIST (scripts/fetch-mnist.sh; CI fetches
 * it and sets {@code RECURRA_REQUIRE_MNIST=1}, which turns a missing data set into a failure instead of a skip).
 */
class TensorFlowMnistTest {
    private static final int STEPS = 50;
    private static Mnist mnist;

    @BeforeAll
    static void data() {
        Path dir = MnistCommand.defaultDataDir();
        boolean present = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))
                || Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
        if (!present && !"1".equals(System.getenv("RECURRA_REQUIRE_MNIST"))) {
            Assumptions.abort("real MNIST is not in " + dir + " (scripts/fetch-mnist.sh puts it there)");
        }
        mnist = Mnist.load(dir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"basic-lstm", "lstm", "gru", "gru-dynamic"})
    void first50StepsFollowTheCpuBackend(String name) {
        Variant variant = Variant.parse(name);
        Dataset train = mnist.train().splitLast(5000).get(0);
        if (variant.dynamic()) {
            train = MnistCommand.inkLengths(train);
        }
        Network net = Network.builder(train.features()).layer(Sequence.of(variant.cell(128)))
                .head(Head.classifier(10)).build();
        Parameters init = Initialization.defaults().initialize(net, 0);
        double[] cpu = curve("cpu", net, init, train);
        double[] tf = curve("tensorflow", net, init, train);
        Tolerance tol = Tolerances.standard().lossCurve();
        for (int s = 0; s < STEPS; s++) {
            tol.assertClose(cpu[s], tf[s], name + ": loss at step " + (s + 1) + " on tensorflow against cpu");
        }
        assertTrue(cpu[STEPS - 1] < 0.8 * cpu[0], name + ": the loss should fall in " + STEPS + " steps but went from "
                + cpu[0] + " to " + cpu[STEPS - 1]);
    }

    private static double[] curve(String backend, Network net, Parameters init, Dataset train) {
        List<Double> losses = new ArrayList<>();
        Trainer trainer = Trainer.builder().batchSize(128).examples(128L * STEPS).seed(0)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepReport r) {
                        losses.add(r.loss());
                    }
                }).build();
        try (Backend b = Backends.named(backend); Model m = b.compile(net, init.copy())) {
            trainer.fit(m, train);
        }
        assertEquals(STEPS, losses.size(), backend + ": steps run");
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
