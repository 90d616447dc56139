package io.github.recurra.tensorflow;

import io.github.recurra.api.cell.Cell;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timings of the reference workload (B=128, T=28, I=28, H=128, 10 classes), median of 30 after 5 warm-up calls:
 * {@code mvn -o -q -pl backend-tensorflow verify -Dtest=TfTimingTest -Drecurra.tf.timing=true}. Prints; checks nothing.
 */
@EnabledIfSystemProperty(named = "recurra.tf.timing", matches = "true")
class TfTimingTest {

    @Test
    void referenceWorkload() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[128 * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        int[] labels = new int[128];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Batch batch = new Batch(Tensor.wrap(x, 128, 28, 28), labels);
        Batch one = new Batch(Tensor.wrap(Arrays.copyOf(x, 28 * 28), 1, 28, 28), new int[] {labels[0]});
        try (TensorFlowBackend backend = new TensorFlowBackend(TensorFlowBackendModule.Options.fromSystemProperties())) {
            for (Cell cell : new Cell[] {LstmCell.of(128), GruCell.builder(128).linearBeforeReset(true).build(),
                    GruCell.of(128), RnnCell.of(128)}) {
                Network net = Network.builder(28).layer(Sequence.of(cell)).head(Head.classifier(10)).build();
                try (Model m = backend.compile(net, Initialization.defaults().initialize(net, 1))) {
                    long t0 = System.nanoTime();
                    m.lossAndGradients(batch);
                    double build = (System.nanoTime() - t0) / 1e6;
                    double step = median(() -> m.lossAndGradients(batch));
                    double hostStep = median(() -> {
                        LossAndGradients lg = m.lossAndGradients(batch);
                        Parameters p = m.parameters();
                        m.setParameters(p);
                    });
                    double forward = median(() -> m.forward(batch, null));
                    double forward1 = median(() -> m.forward(one, null));
                    System.out.printf("%s: first gradient call (builds the piece) %.0f ms; lossAndGradients %.1f ms;"
                            + " + parameters() + setParameters() %.1f ms; forward B=128 %.2f ms; B=1 %.2f ms%n",
                            cell, build, step, hostStep, forward, forward1);
                }
                try (io.github.recurra.api.spi.Backend cpu = io.github.recurra.api.spi.Backends.named("cpu");
                        Model m = cpu.compile(net, Initialization.defaults().initialize(net, 1))) {
                    System.out.printf("  cpu backend, same run: lossAndGradients %.1f ms; forward B=128 %.2f ms%n",
                            median(() -> m.lossAndGradients(batch)), median(() -> m.forward(batch, null)));
                }
            }
        }
    }

    private static double median(Runnable r) {
        for (int i = 0; i < 5; i++) {
            r.run();
        }
        double[] t = new double[30];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
