package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Truncated BPTT: with one window spanning the sequence it is plain BPTT; with shorter windows the first update equals
 * a gradient step computed by hand on the first window, and the state is carried so that later windows see it.
 */
class TruncatedBpttTest {
    static final Network NET = Network.builder(3)
            .layer(Sequence.builder(GruCell.of(6)).returnSequences(true).build())
            .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();

    static Dataset data() {
        Tensor x = CpuModelTest.randomInputs(64, 12, 3, 4);
        float[] y = new float[64 * 12 * 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.sin(i * 0.37);
        }
        return Dataset.builder(12, 3).inputs(x.data()).stepTargets(y, 2).build();
    }

    @Test
    void oneFullWindowIsPlainBptt() {
        Parameters init = Initialization.defaults().initialize(NET, 3);
        Parameters a;
        Parameters b;
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).epochs(2).build().fit(m, data());
            a = m.parameters();
        }
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).epochs(2).truncatedBptt(12, 12).build()
                    .fit(m, data());
            b = m.parameters();
        }
        for (String n : a.names()) {
            assertArrayEquals(a.get(n).data(), b.get(n).data(), 0f, n);
        }
    }

    static Dataset withLengths(float garbage) {
        Tensor x = CpuModelTest.randomInputs(64, 12, 3, 4);
        float[] y = new float[64 * 12 * 2];
        int[] lengths = new int[64];
        for (int i = 0; i < 64; i++) {
            lengths[i] = 1 + (i * 5) % 12;
            for (int t = lengths[i]; t < 12; t++) {
                for (int f = 0; f < 3; f++) {
                    x.data()[(i * 12 + t) * 3 + f] = garbage;
                }
            }
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.cos(i * 0.21) + (i % 24 >= 2 * lengths[i / 24] ? garbage : 0f);
        }
        return Dataset.builder(12, 3).inputs(x.data()).stepTargets(y, 2).lengths(lengths).build();
    }

    @Test
    void reverseLayersAndLastStepHeadsWithLengthsAreRejectedUpFront() {
        Network bi = Network.builder(3)
                .layer(Sequence.builder(GruCell.of(6)).direction(io.github.recurra.api.model.Direction.BIDIRECTIONAL)
                        .returnSequences(true).build())
                .head(Head.of(2, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
        try (Backend backend = new CpuBackend(1);
                Model m = backend.compile(bi, Initialization.defaults().initialize(bi, 1))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Trainer.builder().batchSize(32).truncatedBptt(4, 4).build().fit(m, data()));
            assertTrue(e.getMessage().contains("layer 0 is bidirectional"), e.getMessage());
        }
    }

    @Test
    void windowsWithLengthsIgnoreThePadding() {
        Parameters init = Initialization.defaults().initialize(NET, 7);
        Parameters[] result = new Parameters[3];
        float[] garbage = {0f, 5f};
        for (int run = 0; run < 2; run++) {
            try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
                Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).epochs(2).truncatedBptt(5, 3).build()
                        .fit(m, withLengths(garbage[run]));
                result[run] = m.parameters();
            }
        }
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).epochs(2).truncatedBptt(12, 12).build()
                    .fit(m, withLengths(0f));
            result[2] = m.parameters();
        }
        Parameters plain;
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).epochs(2).build().fit(m, withLengths(0f));
            plain = m.parameters();
        }
        for (String n : init.names()) {
            assertArrayEquals(result[0].get(n).data(), result[1].get(n).data(), 0f, "padding must not matter: " + n);
            assertArrayEquals(plain.get(n).data(), result[2].get(n).data(), 0f, "one full window is BPTT: " + n);
        }
    }

    @Test
    void windowsCarryTheStateAndTruncateTheGradient() {
        Parameters init = Initialization.defaults().initialize(NET, 3);
        Dataset data = data();
        Batch first = data.batch(firstBatchOrder(data));
        // by hand: window 1 = steps 0..3, gradients from steps 2..3 only, starting from the state after steps 0..1
        Parameters expected = init.copy();
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            States s = m.forward(slice(first, 0, 2), null).finalStates();
            LossAndGradients lg = m.lossAndGradients(slice(first, 2, 4), s, 0L);
            Optimizer.sgd(0.05).newState(expected).update(expected, lg.gradients());
        }
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer t = Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).examples(32)
                    .truncatedBptt(4, 2).build();
            // run only the first window's update: a trainer on the first 4 steps of the data
            Dataset firstSteps = Dataset.builder(4, 3).inputs(prefix(data, 4)).stepTargets(prefixTargets(data, 4), 2)
                    .build();
            t.fit(m, firstSteps);
            Parameters got = m.parameters();
            for (String n : expected.names()) {
                assertArrayEquals(expected.get(n).data(), got.get(n).data(), 1e-7f, n);
            }
        }
        // three windows of four steps give three updates per batch: the parameters move further than with one
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            double before = lossOf(m, data);
            Trainer.builder().optimizer(Optimizer.sgd(0.05)).batchSize(32).epochs(3).truncatedBptt(4, 4).build()
                    .fit(m, data);
            assertTrue(lossOf(m, data) < before, "training with windows lowers the loss");
        }
    }

    private static double lossOf(Model m, Dataset d) {
        return Trainer.evaluate(m, d, 64).loss();
    }

    /** The order the trainer uses for its first batch (seed 0, epoch 1). */
    private static int[] firstBatchOrder(Dataset d) {
        int[] p = d.permutation(new java.util.SplittableRandom(1));
        return java.util.Arrays.copyOf(p, 32);
    }

    private static Batch slice(Batch b, int from, int to) {
        return new Batch(b.inputs().steps(from, to - from), null, b.targets().steps(from, to - from), null);
    }

    private static float[] prefix(Dataset d, int steps) {
        float[] all = new float[d.size() * 12 * 3];
        float[] out = new float[d.size() * steps * 3];
        for (int i = 0; i < d.size(); i++) {
            d.copyInputs(i, all, i * 36);
            System.arraycopy(all, i * 36, out, i * steps * 3, steps * 3);
        }
        return out;
    }

    private static float[] prefixTargets(Dataset d, int steps) {
        float[] all = new float[24];
        float[] out = new float[d.size() * steps * 2];
        for (int i = 0; i < d.size(); i++) {
            d.copyTargets(i, all, 0);
            System.arraycopy(all, 0, out, i * steps * 2, steps * 2);
        }
        return out;
    }
}
