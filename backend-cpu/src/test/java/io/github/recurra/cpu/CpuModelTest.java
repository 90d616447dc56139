package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.LastStep;
import io.github.recurra.api.model.MergeMode;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CpuModelTest {
    static final Network NET = Network.builder(6)
            .layer(Sequence.builder(LstmCell.builder(8).peepholes(true).build()).returnSequences(true).build())
            .layer(Sequence.of(GruCell.of(5)))
            .head(Head.classifier(3)).build();

    static Tensor randomInputs(int batch, int time, int features, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * time * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return Tensor.wrap(x, batch, time, features);
    }

    /** Shards depend on the batch size alone: two for 32 to 127 rows (so two cores share them), 64-row ones from 128. */
    @Test
    void shardsDependOnTheBatchSizeAlone() {
        assertEquals(List.of("0-1"), ranges(CpuModel.shards(1)));
        assertEquals(List.of("0-31"), ranges(CpuModel.shards(31)));
        assertEquals(List.of("0-16", "16-32"), ranges(CpuModel.shards(32)));
        assertEquals(List.of("0-63", "63-127"), ranges(CpuModel.shards(127)));
        assertEquals(List.of("0-64", "64-128"), ranges(CpuModel.shards(128)));
        assertEquals(List.of("0-66", "66-133", "133-200"), ranges(CpuModel.shards(200)));
    }

    private static List<String> ranges(List<int[]> shards) {
        List<String> out = new ArrayList<>();
        for (int[] r : shards) {
            out.add(r[0] + "-" + r[1]);
        }
        return out;
    }

    @Test
    void guiceAndServiceLoaderGiveTheCpuBackend() {
        try (Backend viaGuice = Guice.createInjector(new CpuBackendModule(2)).getInstance(Backend.class)) {
            assertEquals("cpu", viaGuice.name());
        }
        assertTrue(Backends.available().contains("cpu"));
        try (Backend named = Backends.named("cpu")) {
            assertEquals("cpu", named.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.named("tpu"));
        assertTrue(e.getMessage().contains("available on the classpath: cpu;"), e.getMessage());
        var injector = Guice.createInjector(new CpuBackendModule());
        try (Backend singleton = injector.getInstance(Backend.class)) {
            assertSame(singleton, injector.getInstance(Backend.class));
        }
    }

    @Test
    void resultsAreBitForBitTheSameWhateverTheThreadCount() {
        Network net = Network.builder(6)
                .layer(Sequence.builder(LstmCell.builder(8).peepholes(true).build())
                        .direction(io.github.recurra.api.model.Direction.BIDIRECTIONAL).returnSequences(true).build())
                .layer(Sequence.of(GruCell.of(5)))
                .dropout(0.3)
                .head(Head.classifier(3)).build();
        Parameters p = Initialization.defaults().initialize(net, 11);
        int n = 150;
        int[] y = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            lengths[i] = 1 + i % 9;
        }
        Batch batch = new Batch(randomInputs(n, 9, 6, 1), y, null, lengths);
        try (Backend oneThread = new CpuBackend(1); Backend fourThreads = new CpuBackend(4);
                Model one = oneThread.compile(net, p); Model four = fourThreads.compile(net, p)) {
            Forward f1 = one.forward(batch, null);
            Forward f4 = four.forward(batch, null);
            assertArrayEquals(f1.logits().data(), f4.logits().data(), 0f);
            LossAndGradients g1 = one.lossAndGradients(batch, null, 5L);
            LossAndGradients g4 = four.lossAndGradients(batch, null, 5L);
            assertEquals(g1.loss(), g4.loss(), 0.0);
            for (String name : p.names()) {
                assertArrayEquals(g1.gradients().get(name).data(), g4.gradients().get(name).data(), 0f, name);
            }
        }
    }

    @Test
    void trainingForwardDrawsTheSameDropoutAsTraining() {
        Network net = Network.builder(6)
                .layer(Sequence.builder(LstmCell.of(8)).returnSequences(true).build())
                .layer(Sequence.of(GruCell.of(5))).dropout(0.5).head(Head.classifier(3)).build();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(net, Initialization.defaults().initialize(net, 3))) {
            Batch b = new Batch(randomInputs(40, 5, 6, 2), new int[40]);
            float[] train = m.lossAndGradients(b, null, 9L).logits().data();
            assertArrayEquals(train, m.forwardTraining(b, null, 9L).logits().data(), 0f);
            float[] plain = m.forward(b.inputs()).logits().data();
            assertTrue(!java.util.Arrays.equals(plain, train), "inference uses no dropout");
        }
    }

    @Test
    void concurrentInferenceGivesTheSameResults() throws Exception {
        Parameters p = Initialization.defaults().initialize(NET, 5);
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, p)) {
            List<Tensor> inputs = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                inputs.add(randomInputs(120 + 10 * i, 7, 6, i));
                expected.add(m.forward(inputs.get(i)).logits().data());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int rep = 0; rep < 5; rep++) {
                    for (int i = 0; i < 8; i++) {
                        Tensor in = inputs.get(i);
                        futures.add(pool.submit(() -> m.forward(in).logits().data()));
                    }
                }
                for (int k = 0; k < futures.size(); k++) {
                    assertArrayEquals(expected.get(k % 8), futures.get(k).get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /** A bidirectional GRU below a bidirectional LSTM that returns its last step as {@code lastStep} says. */
    private static Network lastStepNet(MergeMode mode, LastStep lastStep, boolean everyStep) {
        Sequence.Builder top = Sequence.builder(LstmCell.builder(4).peepholes(true).build())
                .direction(Direction.BIDIRECTIONAL).mergeMode(mode);
        return Network.builder(3)
                .layer(Sequence.builder(GruCell.of(5)).direction(Direction.BIDIRECTIONAL).returnSequences(true).build())
                .layer(everyStep ? top.returnSequences(true).build() : top.lastStep(lastStep).build())
                .head(Head.of(2, everyStep ? Head.Target.EVERY_STEP : Head.Target.LAST_STEP,
                        Head.Loss.SOFTMAX_CROSS_ENTROPY))
                .build();
    }

    private static States randomStates(Network net, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> h = new ArrayList<>();
        List<Tensor> c = new ArrayList<>();
        for (Sequence s : net.layers()) {
            int[] shape = {s.direction().count(), n, s.cell().hiddenSize()};
            Tensor th = Tensor.zeros(shape);
            Tensor tc = Tensor.zeros(shape);
            for (int i = 0; i < th.size(); i++) {
                th.data()[i] = (float) (r.nextDouble() - 0.5);
                tc.data()[i] = (float) (r.nextDouble() - 0.5);
            }
            h.add(th);
            c.add(s.cell() instanceof LstmCell ? tc : null);
        }
        return new States(h, c);
    }

    @Test
    void lastTimeIndexIsTheMergedOutputAtEachExamplesLastValidStep() {
        int n = 5;
        int time = 6;
        int[] lengths = {6, 1, 3, 6, 2};
        for (MergeMode mode : MergeMode.values()) {
            Network last = lastStepNet(mode, LastStep.LAST_TIME_INDEX, false);
            Network every = lastStepNet(mode, LastStep.FINAL_STATES, true);
            Network finals = lastStepNet(mode, LastStep.FINAL_STATES, false);
            Parameters p = Initialization.defaults().initialize(last, 21);
            States init = randomStates(last, n, 4);
            try (CpuBackend cpu = new CpuBackend(2)) {
                for (int[] lens : new int[][] {null, lengths}) {
                    Batch b = new Batch(randomInputs(n, time, 3, 8), null, null, lens);
                    try (Model ml = cpu.compile(last, p); Model me = cpu.compile(every, p);
                            Model mf = cpu.compile(finals, p)) {
                        Forward fl = ml.forward(b, init);
                        Forward fe = me.forward(b, init);
                        Forward ff = mf.forward(b, init);
                        int f = last.outputSize();
                        assertEquals(List.of(n, f), List.of(fl.output().dim(0), fl.output().dim(1)));
                        float[] want = new float[n * f];
                        for (int i = 0; i < n; i++) {
                            int at = (lens == null ? time : lens[i]) - 1;
                            System.arraycopy(fe.output().data(), (i * time + at) * f, want, i * f, f);
                        }
                        String what = mode + (lens == null ? "" : " with lengths");
                        assertArrayEquals(want, fl.output().data(), 0f, what + ": the per-step output at the last index");
                        for (int k = 0; k < 2; k++) {
                            assertArrayEquals(ff.finalStates().hidden().get(k).data(),
                                    fl.finalStates().hidden().get(k).data(), 0f, what + ": real final states, layer " + k);
                        }
                        assertArrayEquals(ff.finalStates().cell().get(1).data(), fl.finalStates().cell().get(1).data(), 0f,
                                what + ": real final cell states");
                        double diff = 0;
                        for (int i = 0; i < want.length; i++) {
                            diff = Math.max(diff, Math.abs(ff.output().data()[i] - fl.output().data()[i]));
                        }
                        assertTrue(diff > 1e-3, what + ": the reverse half differs from the final states, by " + diff);
                    }
                }
            }
        }
    }

    @Test
    void lastTimeIndexOfAForwardSequenceIsItsFinalState() {
        Network last = Network.builder(3).layer(Sequence.builder(GruCell.of(5)).lastStep(LastStep.LAST_TIME_INDEX)
                .build()).head(Head.classifier(2)).build();
        Network finals = Network.builder(3).layer(Sequence.of(GruCell.of(5))).head(Head.classifier(2)).build();
        Parameters p = Initialization.defaults().initialize(last, 2);
        Batch b = new Batch(randomInputs(4, 5, 3, 1), new int[] {0, 1, 1, 0}, null, new int[] {5, 2, 1, 4});
        try (Model ml = new CpuBackend(1).compile(last, p); Model mf = new CpuBackend(1).compile(finals, p)) {
            assertArrayEquals(mf.forward(b, null).output().data(), ml.forward(b, null).output().data(), 0f);
            LossAndGradients gl = ml.lossAndGradients(b, null, 0L);
            LossAndGradients gf = mf.lossAndGradients(b, null, 0L);
            assertEquals(gf.loss(), gl.loss(), 0.0);
            for (String name : p.names()) {
                assertArrayEquals(gf.gradients().get(name).data(), gl.gradients().get(name).data(), 1e-7f, name);
            }
        }
    }

    @Test
    void lastTimeIndexGradientsDoNotDependOnEarlierPasses() {
        Network net = lastStepNet(MergeMode.MULTIPLY, LastStep.LAST_TIME_INDEX, false);
        Parameters p = Initialization.defaults().initialize(net, 6);
        Batch first = new Batch(randomInputs(4, 5, 3, 2), new int[] {0, 1, 1, 0}, null, new int[] {5, 2, 1, 4});
        Batch second = new Batch(randomInputs(4, 5, 3, 3), new int[] {1, 1, 0, 0}, null, new int[] {3, 5, 4, 2});
        try (Model used = new CpuBackend(1).compile(net, p); Model fresh = new CpuBackend(1).compile(net, p)) {
            used.lossAndGradients(first, null, 0L);
            LossAndGradients again = used.lossAndGradients(second, null, 0L);
            LossAndGradients once = fresh.lossAndGradients(second, null, 0L);
            for (String name : p.names()) {
                assertArrayEquals(once.gradients().get(name).data(), again.gradients().get(name).data(), 0f, name);
            }
        }
    }

    @Test
    void badInputsGetPreciseErrors() {
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 1))) {
            IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(Tensor.zeros(4, 3, 5)));
            assertTrue(features.getMessage().contains("5 features per step but the network expects 6"),
                    features.getMessage());
            IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(Tensor.zeros(3, 6)));
            assertTrue(rank.getMessage().contains("[batch, time, 6]") && rank.getMessage().contains("batch axis of 1"),
                    rank.getMessage());
            Tensor nan = Tensor.zeros(2, 3, 6);
            nan.data()[2 * 3 * 6 - 1] = Float.NaN;
            IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> m.forward(nan));
            assertTrue(n.getMessage().contains("at [1, 2, 5] is not finite"), n.getMessage());
            IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                    () -> m.lossAndGradients(new Batch(Tensor.zeros(2, 3, 6), new int[] {0, 3})));
            assertTrue(label.getMessage().contains("label 3"), label.getMessage());
            IllegalArgumentException unlabelled = assertThrows(IllegalArgumentException.class,
                    () -> m.lossAndGradients(new Batch(Tensor.zeros(2, 3, 6), null)));
            assertTrue(unlabelled.getMessage().contains("no labels"), unlabelled.getMessage());
            List<Tensor> hs = new ArrayList<>();
            hs.add(Tensor.zeros(1, 2, 8));
            hs.add(Tensor.zeros(1, 3, 5));
            List<Tensor> cs = new ArrayList<>();
            cs.add(null);
            cs.add(null);
            IllegalArgumentException state = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(Tensor.zeros(2, 3, 6), new States(hs, cs)));
            assertTrue(state.getMessage().contains("layer 1") && state.getMessage().contains("[1, 2, 5]"),
                    state.getMessage());
            // the model still works after rejecting bad input
            assertEquals(2, m.forward(Tensor.zeros(2, 3, 6)).logits().dim(0));
            Parameters wrong = Parameters.zerosFor(Network.builder(6).layer(Sequence.of(GruCell.of(5)))
                    .head(Head.classifier(3)).build());
            assertThrows(IllegalArgumentException.class, () -> m.setParameters(wrong));
        }
    }

    @Test
    void closedModelRefusesWork() {
        try (Backend backend = new CpuBackend(1)) {
            Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 1));
            m.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.forward(Tensor.zeros(1, 2, 6)));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void trainingLearnsASyntheticTaskAndIsReproducible() {
        // class = sign of the sum of the first feature over time: needs memory across steps
        int n = 512;
        Tensor x = randomInputs(n, 8, 2, 99);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int t = 0; t < 8; t++) {
                s += x.data()[(i * 8 + t) * 2];
            }
            y[i] = s > 0 ? 1 : 0;
        }
        Dataset data = Dataset.of(x.data(), y, 8, 2, 2);
        Network net = Network.builder(2).layer(Sequence.of(LstmCell.of(16))).head(Head.classifier(2)).build();
        double[] acc = new double[2];
        double[] loss = new double[2];
        for (int run = 0; run < 2; run++) {
            try (Backend backend = new CpuBackend(2);
                    Model m = backend.compile(net, Initialization.defaults().initialize(net, 3))) {
                double before = Trainer.evaluate(m, data, 128).loss();
                Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(15).seed(4).build()
                        .fit(m, data);
                var after = Trainer.evaluate(m, data, 128);
                assertTrue(after.loss() < before / 3, "loss " + before + " -> " + after.loss());
                acc[run] = after.accuracy();
                loss[run] = after.loss();
            }
        }
        assertTrue(acc[0] > 0.9, "accuracy " + acc[0]);
        assertEquals(loss[0], loss[1], 0.0, "same seeds, same result");
    }
}
