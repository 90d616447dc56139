package io.github.recurra.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the kit does not cover: piece reuse, closing, parameter round trips, discovery, concurrent forward passes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TfModelTest {
    private static final Network NET = Network.builder(3)
            .layer(Sequence.builder(LstmCell.builder(5).peepholes(true).build()).returnSequences(true).build())
            .layer(Sequence.builder(GruCell.of(4)).direction(Direction.BIDIRECTIONAL).build())
            .dropout(0.2).head(Head.classifier(3)).build();

    private final TensorFlowBackend backend = new TensorFlowBackend(TensorFlowBackendModule.Options.defaults());

    @AfterAll
    void close() {
        backend.close();
    }

    private static Batch batch(int b, int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[b * t * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[b];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = r.nextInt(3);
            lengths[i] = 1 + r.nextInt(t);
        }
        return new Batch(Tensor.wrap(x, b, t, 3), labels, null, lengths);
    }

    @Test
    void aSecondCallOfTheSameShapeClassAddsNoOps() {
        try (TfModel m = (TfModel) backend.compile(NET, Initialization.defaults().initialize(NET, 1))) {
            m.forward(batch(4, 6, 1), null);
            m.lossAndGradients(batch(4, 6, 2), null, 3L);
            m.forwardTraining(batch(4, 6, 2), null, 3L);
            int ops = m.graphOperations();
            // other batch sizes (but for gradients, whose pieces have a static batch), other values, other seeds: the
            // same pieces
            m.forward(batch(9, 6, 4), null);
            m.lossAndGradients(batch(4, 6, 5), null, 7L);
            m.forwardTraining(batch(1, 6, 2), null, 9L);
            m.setParameters(Initialization.defaults().initialize(NET, 2));
            m.parameters();
            assertEquals(ops, m.graphOperations(), "operations after repeating the shape classes");
            m.lossAndGradients(batch(2, 6, 5), null, 7L);
            int more = m.graphOperations();
            assertTrue(more > ops, "gradients of another batch size build a piece of their own");
            ops = more;
            // a new number of steps is a new piece, added to a graph whose session has run
            m.forward(batch(4, 7, 1), null);
            assertTrue(m.graphOperations() > ops, "a new time length builds a new piece");
        }
    }

    @Test
    void parametersRoundTripBitForBit() {
        Parameters p = Initialization.defaults().initialize(NET, 5);
        try (Model m = backend.compile(NET, p.copy())) {
            Parameters q = Initialization.defaults().initialize(NET, 6);
            m.setParameters(q);
            Parameters back = m.parameters();
            assertEquals(q.names(), back.names());
            for (String n : q.names()) {
                assertArrayEquals(q.get(n).data(), back.get(n).data(), n);
                assertArrayEquals(q.get(n).shape(), back.get(n).shape(), n);
            }
            // the copy is the caller's: changing it changes nothing in the model
            back.get(Parameters.HEAD_B).data()[0] += 1f;
            assertArrayEquals(q.get(Parameters.HEAD_B).data(), m.parameters().get(Parameters.HEAD_B).data());
        }
    }

    @Test
    void callsAfterCloseFailAndCloseIsIdempotent() {
        Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 1));
        Parameters p = m.parameters();
        m.forward(batch(2, 3, 1), null);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.forward(batch(2, 3, 1), null));
        assertThrows(IllegalStateException.class, () -> m.lossAndGradients(batch(2, 3, 1), null, 1L));
        assertThrows(IllegalStateException.class, m::parameters);
        assertThrows(IllegalStateException.class, () -> m.setParameters(p));
    }

    @Test
    void closingTheBackendClosesItsModels() {
        TensorFlowBackend b = new TensorFlowBackend(TensorFlowBackendModule.Options.defaults());
        Model m = b.compile(NET, Initialization.defaults().initialize(NET, 1));
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> m.forward(batch(2, 3, 1), null));
        assertThrows(IllegalStateException.class, () -> b.compile(NET, Initialization.defaults().initialize(NET, 1)));
        assertEquals("tensorflow", b.name());
        m.close();
    }

    @Test
    void badInputFailsClearlyWithoutHarm() {
        try (Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 1))) {
            float[] before = m.forward(batch(2, 3, 1), null).logits().data();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(new Batch(Tensor.zeros(2, 3, 4), null), null));
            assertTrue(e.getMessage().contains("features"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.setParameters(Parameters.zerosFor(
                    Network.builder(3).layer(Sequence.of(LstmCell.of(5))).head(Head.classifier(3)).build())));
            assertArrayEquals(before, m.forward(batch(2, 3, 1), null).logits().data());
        }
    }

    @Test
    void concurrentForwardPassesGiveTheSingleThreadedResult() throws Exception {
        try (Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 3))) {
            List<Batch> batches = new ArrayList<>();
            List<float[]> alone = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                batches.add(batch(3 + i, 5, i));
                alone.add(m.forward(batches.get(i), null).logits().data());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Forward>> futures = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (Batch b : batches) {
                        futures.add(pool.submit(() -> m.forward(b, null)));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    Forward f = futures.get(i).get();
                    float[] want = alone.get(i % batches.size());
                    float[] got = f.logits().data();
                    assertEquals(want.length, got.length);
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(want[j], got[j], 1e-6f, "pass " + i + " value " + j);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void foundByNameAndThroughGuice() {
        assertTrue(Backends.available().contains("tensorflow"), Backends.available().toString());
        try (Backend b = Backends.named("tensorflow")) {
            assertEquals("tensorflow", b.name());
        }
        try (Backend b = com.google.inject.Guice.createInjector(new TensorFlowBackendModule(
                TensorFlowBackendModule.Options.defaults().withIntraOpThreads(2))).getInstance(Backend.class)) {
            assertEquals("tensorflow", b.name());
        }
        assertThrows(IllegalArgumentException.class, () -> new TensorFlowBackendModule.Options(-1, 0));
    }
}
