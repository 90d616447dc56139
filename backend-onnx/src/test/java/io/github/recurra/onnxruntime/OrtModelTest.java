package io.github.recurra.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.inject.Guice;
import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Capability;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.spi.Streaming;
import io.github.recurra.api.spi.UnsupportedCapabilityException;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.conformance.Tolerances;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ONNX Runtime backend beyond the kit: concurrent passes, closing under load, closed models and backends,
 * streaming on every graph, parameters replaced, training refused, discovery and options.
 */
class OrtModelTest {
    /** A stacked network that runs the standard graph (LSTM) and one that runs unrolled and sharded (GRU, RNN). */
    static final Network STANDARD = Network.builder(4)
            .layer(Sequence.builder(LstmCell.of(6)).returnSequences(true).build())
            .layer(Sequence.builder(GruCell.of(5)).direction(Direction.BIDIRECTIONAL).build())
            .head(Head.classifier(3)).build();
    static final Network UNROLLED = Network.builder(4)
            .layer(Sequence.builder(GruCell.builder(6).linearBeforeReset(true).build()).returnSequences(true).build())
            .layer(Sequence.builder(RnnCell.of(5)).returnSequences(true).build())
            .head(Head.of(3, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build();

    private static OnnxBackend backend() {
        return new OnnxBackend(OnnxBackendModule.Options.defaults().withIntraOpThreads(2));
    }

    /** Batches of several sizes, lengths and initial states, so that concurrent passes run different graphs. */
    private static List<Batch> batches(Network net) {
        List<Batch> all = new ArrayList<>();
        int[][] shapes = {{1, 5}, {3, 7}, {40, 6}, {9, 6}, {64, 3}, {2, 6}, {33, 7}, {5, 1}};
        for (int i = 0; i < shapes.length; i++) {
            int b = shapes[i][0];
            int t = shapes[i][1];
            int[] lengths = null;
            if (i % 3 == 1) {
                lengths = new int[b];
                for (int j = 0; j < b; j++) {
                    lengths[j] = 1 + j % t;
                }
            }
            all.add(new Batch(Fixtures.inputs(b, t, 4, i), null, null, lengths));
        }
        return all;
    }

    private static States initial(Network net, Batch b, int i) {
        return i % 2 == 0 ? null : Fixtures.states(net, b.size(), i);
    }

    private static void assertSameForward(Forward want, Forward got, String what) {
        assertArrayEquals(want.output().data(), got.output().data(), what + ": output");
        assertArrayEquals(want.logits().data(), got.logits().data(), what + ": logits");
        assertArrayEquals(want.predictions().data(), got.predictions().data(), what + ": predictions");
        for (int k = 0; k < want.finalStates().layers(); k++) {
            assertArrayEquals(want.finalStates().hidden().get(k).data(), got.finalStates().hidden().get(k).data(),
                    what + ": final state of layer " + k);
        }
    }

    @Test
    void eightThreadsAtOnceGetTheSequentialResults() throws Exception {
        for (Network net : List.of(STANDARD, UNROLLED)) {
            try (Backend backend = backend(); Model m = backend.compile(net, Fixtures.parameters(net, 1))) {
                List<Batch> batches = batches(net);
                List<Forward> sequential = new ArrayList<>();
                for (int i = 0; i < batches.size(); i++) {
                    sequential.add(m.forward(batches.get(i), initial(net, batches.get(i), i)));
                }
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<?>> futures = new ArrayList<>();
                    for (int thread = 0; thread < 8; thread++) {
                        int first = thread;
                        futures.add(pool.submit(() -> {
                            start.await();
                            for (int round = 0; round < 6; round++) {
                                int i = (first + round) % batches.size();
                                assertSameForward(sequential.get(i), m.forward(batches.get(i),
                                        initial(net, batches.get(i), i)), "batch " + i + " on thread " + first);
                            }
                            return null;
                        }));
                    }
                    start.countDown();
                    for (Future<?> f : futures) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void closingWhileOtherThreadsRunPassesNeverCrashes() throws Exception {
        for (boolean viaBackend : new boolean[] {false, true}) {
            OnnxBackend backend = backend();
            Model m = backend.compile(UNROLLED, Fixtures.parameters(UNROLLED, 2));
            List<Batch> batches = batches(UNROLLED);
            Forward want = m.forward(batches.get(2), null);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicInteger passes = new AtomicInteger();
            CountDownLatch running = new CountDownLatch(4);
            List<Future<String>> futures = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                futures.add(pool.submit(() -> {
                    running.countDown();
                    while (true) {
                        try {
                            assertSameForward(want, m.forward(batches.get(2), null), "a pass racing close");
                            passes.incrementAndGet();
                        } catch (IllegalStateException e) {
                            return e.getMessage();
                        }
                    }
                }));
            }
            running.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (passes.get() < 8 && futures.stream().noneMatch(Future::isDone)) {
                assertTrue(System.nanoTime() < deadline, "8 passes did not finish in 30 s");
                Thread.sleep(1);
            }
            for (Future<String> f : futures) {
                if (f.isDone()) {
                    fail("a pass failed before the close: " + f.get());
                }
            }
            if (viaBackend) {
                backend.close();
            } else {
                m.close();
            }
            for (Future<String> f : futures) {
                String message = f.get(30, TimeUnit.SECONDS);
                assertTrue(message.contains(viaBackend ? "backend 'onnx' was closed" : "model was closed"), message);
            }
            pool.shutdown();
            m.close();
            backend.close();
        }
    }

    @Test
    void aClosedModelFailsClearly() {
        try (Backend backend = backend()) {
            Model m = backend.compile(STANDARD, Fixtures.parameters(STANDARD, 3));
            m.close();
            m.close();
            Tensor x = Fixtures.inputs(2, 3, 4, 1);
            for (Runnable call : List.<Runnable>of(() -> m.forward(x), () -> m.forward(new Batch(x, null), null),
                    m::parameters, () -> m.setParameters(Fixtures.parameters(STANDARD, 4)),
                    () -> m.lossAndGradients(new Batch(x, new int[] {0, 1}), null, 1L))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
                assertTrue(e.getMessage().contains("model was closed"), e.getMessage());
            }
            assertEquals("onnx", m.backend());
        }
    }

    @Test
    void aClosedBackendClosesItsModelsAndRefusesToCompile() {
        OnnxBackend backend = backend();
        Model first = backend.compile(UNROLLED, Fixtures.parameters(UNROLLED, 5));
        Model second = backend.compile(STANDARD, Fixtures.parameters(STANDARD, 5));
        first.forward(Fixtures.inputs(40, 3, 4, 5));
        second.close();
        backend.close();
        backend.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> first.forward(Fixtures.inputs(2, 3, 4, 1)));
        assertTrue(e.getMessage().contains("backend 'onnx' was closed"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> backend.compile(STANDARD, Fixtures.parameters(STANDARD, 5)));
        assertTrue(e.getMessage().contains("backend 'onnx' was closed"), e.getMessage());
        assertEquals("onnx", backend.name());
        assertTrue(backend.supports(Capability.INFERENCE));
        first.close();
        // the shard workers end once the backend is closed (other backends of this JVM may have their own)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workerThreadsOf(backend) > 0) {
            assertTrue(System.nanoTime() < deadline, "worker threads still alive 10 s after close");
            Thread.yield();
        }
    }

    private static long workerThreadsOf(OnnxBackend backend) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("recurra-onnx-" + System.identityHashCode(backend) + "-"))
                .count();
    }

    @Test
    void compilesRacingWithCloseFinishOrFailClearly() throws Exception {
        OnnxBackend backend = backend();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch compiling = new CountDownLatch(1);
            Future<Integer> compiles = pool.submit(() -> {
                int n = 0;
                while (true) {
                    try (Model m = backend.compile(UNROLLED, Fixtures.parameters(UNROLLED, 6))) {
                        compiling.countDown();
                        n++;
                        m.forward(Fixtures.inputs(3, 2, 4, n));
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().contains("closed"), e.getMessage());
                        return n;
                    }
                }
            });
            compiling.await();
            backend.close();
            assertTrue(compiles.get(30, TimeUnit.SECONDS) >= 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void streamingStepByStepEqualsTheWholeSequenceOnEveryGraph() {
        Network standard = Network.builder(4).layer(Sequence.builder(LstmCell.of(6)).returnSequences(true).build())
                .layer(Sequence.builder(GruCell.of(5)).returnSequences(true).build())
                .head(Head.of(3, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY)).build();
        for (Network net : List.of(standard, UNROLLED)) {
            for (int b : new int[] {2, 12, 40}) {
                try (Backend backend = backend(); Model m = backend.compile(net, Fixtures.parameters(net, 7))) {
                    Tensor x = Fixtures.inputs(b, 9, 4, b);
                    Forward whole = m.forward(x);
                    for (int[] chunks : new int[][] {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {4, 3, 2}}) {
                        Streaming s = m.openStream(b);
                        List<Tensor> logits = new ArrayList<>();
                        int start = 0;
                        for (int len : chunks) {
                            logits.add(s.feed(x.steps(start, len)).logits());
                            start += len;
                        }
                        String what = net.layers().get(0).cell().kind() + " network, batch " + b + ", chunks "
                                + java.util.Arrays.toString(chunks);
                        Tolerances.standard().streaming().assertClose(whole.logits().data(),
                                Tensor.concatSteps(logits).data(), what + ": logits");
                        for (int k = 0; k < net.layers().size(); k++) {
                            Tolerances.standard().streaming().assertClose(
                                    whole.finalStates().hidden().get(k).data(), s.state().hidden().get(k).data(),
                                    what + ": final state of layer " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void newParametersRebuildTheSessions() {
        try (Backend backend = backend(); Model m = backend.compile(UNROLLED, Fixtures.parameters(UNROLLED, 8))) {
            Tensor x = Fixtures.inputs(40, 5, 4, 8);
            Forward before = m.forward(x);
            Parameters next = Fixtures.parameters(UNROLLED, 9);
            m.setParameters(next);
            next.get(Parameters.HEAD_B).data()[0] = 99f; // the model took a copy
            Forward after = m.forward(x);
            try (Model fresh = backend.compile(UNROLLED, Fixtures.parameters(UNROLLED, 9))) {
                assertSameForward(fresh.forward(x), after, "after setParameters");
            }
            assertTrue(Math.abs(before.logits().data()[0] - after.logits().data()[0]) > 1e-4, "the logits changed");
            Parameters read = m.parameters();
            Parameters want = Fixtures.parameters(UNROLLED, 9);
            for (String name : want.names()) {
                assertArrayEquals(want.get(name).data(), read.get(name).data(), name);
            }
        }
    }

    @Test
    void trainingIsRefusedWithTheCapability() {
        Network dropout = Network.builder(4).layer(Sequence.builder(GruCell.of(5)).returnSequences(true).build())
                .layer(Sequence.of(GruCell.of(5))).dropout(0.5).head(Head.classifier(3)).build();
        try (Backend backend = backend(); Model m = backend.compile(dropout, Fixtures.parameters(dropout, 10))) {
            Batch b = new Batch(Fixtures.inputs(3, 4, 4, 10), new int[] {0, 1, 2});
            UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
                    () -> m.lossAndGradients(b, null, 1L));
            assertEquals(Capability.TRAINING, e.capability());
            assertEquals("onnx", e.backend());
            e = assertThrows(UnsupportedCapabilityException.class, () -> m.forwardTraining(b, null, 1L));
            assertEquals(Capability.TRAINING, e.capability());
            // inference ignores dropout
            assertEquals(3, m.forward(b.inputs()).predictions().dim(0));
        }
        try (Backend backend = backend(); Model m = backend.compile(STANDARD, Fixtures.parameters(STANDARD, 11))) {
            Batch b = new Batch(Fixtures.inputs(3, 4, 4, 11), null);
            assertSameForward(m.forward(b, null), m.forwardTraining(b, null, 5L), "training-mode pass without dropout");
        }
    }

    @Test
    void lengthsChangedAfterTheBatchWasBuiltAreRejectedBeforeNativeCode() {
        try (Backend backend = backend(); Model m = backend.compile(STANDARD, Fixtures.parameters(STANDARD, 12))) {
            int[] lengths = {3, 2};
            Batch b = new Batch(Fixtures.inputs(2, 3, 4, 12), null, null, lengths);
            for (int bad : new int[] {0, 4, -7, Integer.MAX_VALUE}) {
                lengths[1] = bad;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(b, null));
                assertTrue(e.getMessage().contains("length " + bad + " of example 1"), e.getMessage());
            }
            lengths[1] = 1;
            assertTrue(m.forward(b, null).logits().firstNonFinite() < 0);
        }
    }

    @Test
    void discoveryGuiceAndOptions() {
        assertTrue(Backends.available().contains("onnx"), Backends.available().toString());
        try (Backend named = Backends.named("onnx")) {
            assertEquals("onnx", named.name());
            assertTrue(!named.supports(Capability.TRAINING) && named.supports(Capability.BIDIRECTIONAL));
        }
        assertEquals("onnx", new OnnxBackendProvider().name());
        OnnxBackendModule.Options one = OnnxBackendModule.Options.defaults().withIntraOpThreads(1)
                .withOptimization(OnnxBackendModule.Optimization.BASIC).withUnrolled(false);
        var injector = Guice.createInjector(new OnnxBackendModule(one));
        try (Backend b = injector.getInstance(Backend.class)) {
            assertSame(b, injector.getInstance(Backend.class));
            assertTrue(b.toString().contains("intraOpThreads=1"), b.toString());
            try (Model m = b.compile(UNROLLED, Fixtures.parameters(UNROLLED, 13))) {
                m.forward(Fixtures.inputs(40, 2, 4, 13));
                assertEquals(List.of("standard"), ((OrtModel) m).graphs(), "unrolling off");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> OnnxBackendModule.Options.defaults().withIntraOpThreads(0));
        assertThrows(IllegalArgumentException.class, () -> OnnxBackendModule.Options.defaults().withInterOpThreads(0));
        assertThrows(IllegalArgumentException.class, () -> OnnxBackendModule.Options.defaults().withOptimization(null));
        assertThrows(NullPointerException.class, () -> new OnnxBackendModule(null));
    }

    @Test
    void systemPropertiesSetTheOptions() {
        String[] keys = {OnnxBackendModule.Options.THREADS, OnnxBackendModule.Options.INTER_OP_THREADS,
                OnnxBackendModule.Options.OPTIMIZATION, OnnxBackendModule.Options.UNROLLED};
        try {
            System.setProperty(keys[0], "3");
            System.setProperty(keys[1], "2");
            System.setProperty(keys[2], "Extended");
            System.setProperty(keys[3], "false");
            assertEquals(new OnnxBackendModule.Options(3, 2, OnnxBackendModule.Optimization.EXTENDED, false),
                    OnnxBackendModule.Options.fromSystemProperties());
            for (String[] bad : new String[][] {{keys[0], "two"}, {keys[0], "0"}, {keys[2], "fast"},
                    {keys[3], "yes"}}) {
                String before = System.getProperty(bad[0]);
                System.setProperty(bad[0], bad[1]);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        OnnxBackendModule.Options::fromSystemProperties);
                assertTrue(e.getMessage().contains(bad[0]) && e.getMessage().contains(bad[1]), e.getMessage());
                System.setProperty(bad[0], before);
            }
        } finally {
            for (String k : keys) {
                System.clearProperty(k);
            }
        }
        assertEquals(OnnxBackendModule.Options.defaults(), OnnxBackendModule.Options.fromSystemProperties());
    }

    @Test
    void withoutAHeadThereAreNoLogits() {
        Network net = Network.builder(4).layer(Sequence.builder(RnnCell.of(3)).returnSequences(true).build()).build();
        try (Backend backend = backend(); Model m = backend.compile(net, Fixtures.parameters(net, 14))) {
            Forward f = m.forward(Fixtures.inputs(2, 5, 4, 14));
            assertNull(f.logits());
            assertNull(f.predictions());
            assertArrayEquals(new int[] {2, 5, 3}, f.output().shape());
        }
    }
}
