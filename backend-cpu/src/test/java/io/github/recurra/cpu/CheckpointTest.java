package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingControl;
import io.github.recurra.api.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted after a checkpoint and resumed continues with exactly the uninterrupted run's losses. */
class CheckpointTest {
    @TempDir
    Path dir;

    static final Network NET = Network.builder(2)
            .layer(Sequence.builder(LstmCell.builder(8).peepholes(true).build()).direction(Direction.BIDIRECTIONAL)
                    .returnSequences(true).build())
            .layer(Sequence.of(GruCell.of(6)))
            .dropout(0.2)
            .head(Head.classifier(2)).build();

    static Dataset data() {
        Tensor x = CpuModelTest.randomInputs(200, 7, 2, 3);
        int[] y = new int[200];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.data()[i * 14] + x.data()[i * 14 + 13] > 0 ? 1 : 0;
        }
        return Dataset.of(x.data(), y, 7, 2, 2).withLengths(i -> 3 + i % 5);
    }

    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void resumedRunEqualsTheUninterruptedRunExactly() {
        Dataset data = data();
        Parameters init = Initialization.defaults().initialize(NET, 5);

        List<Double> straight = new ArrayList<>();
        Parameters straightEnd;
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .listener(record(straight)).build().fit(m, data);
            straightEnd = m.parameters();
        }
        assertEquals(30, straight.size());

        Path ckpt = dir.resolve("run.ckpt");
        List<Double> first = new ArrayList<>();
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer crashing = Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .checkpointEvery(10, ckpt).listener(record(first)).listener(new TrainingListener() {
                        @Override
                        public void onStep(StepReport r) {
                            if (r.step() == 17) {
                                throw new Crash();
                            }
                        }
                    }).build();
            assertThrows(Crash.class, () -> crashing.fit(m, data));
        }
        List<Double> resumed = new ArrayList<>();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 99))) {
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .listener(record(resumed)).build().resume(m, data, ckpt);
            Parameters end = m.parameters();
            for (String name : end.names()) {
                assertArrayEquals(straightEnd.get(name).data(), end.get(name).data(), 0f, name);
            }
        }
        assertEquals(straight.subList(0, 17), first);
        assertEquals(straight.subList(10, 30), resumed, "steps 11 to 30 after resuming from step 10");
    }

    /** Halves the learning-rate factor at step 6 (as a plateau callback would). */
    private static TrainingListener halveAt6() {
        return new TrainingListener() {
            @Override
            public void onStep(StepReport r, TrainingControl c) {
                if (r.step() == 6) {
                    c.setLearningRateFactor(0.5);
                }
            }
        };
    }

    @Test
    void aRunResumedWithALearningRateFactorEqualsTheUninterruptedRunExactly() {
        Dataset data = data();
        Parameters init = Initialization.defaults().initialize(NET, 5);
        List<Double> straight = new ArrayList<>();
        Parameters straightEnd;
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .listener(halveAt6()).listener(record(straight)).build().fit(m, data);
            straightEnd = m.parameters();
        }
        // the factor changed the run: without it the losses after step 6 differ
        List<Double> unscaled = new ArrayList<>();
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .listener(record(unscaled)).build().fit(m, data);
        }
        assertEquals(straight.subList(0, 6), unscaled.subList(0, 6));
        assertTrue(!straight.get(7).equals(unscaled.get(7)), "the factor scaled step 7's update, seen in step 8's loss");

        Path ckpt = dir.resolve("factor.ckpt");
        try (Backend backend = new CpuBackend(2); Model m = backend.compile(NET, init)) {
            Trainer crashing = Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .checkpointEvery(10, ckpt).listener(halveAt6()).listener(new TrainingListener() {
                        @Override
                        public void onStep(StepReport r) {
                            if (r.step() == 13) {
                                throw new Crash();
                            }
                        }
                    }).build();
            assertThrows(Crash.class, () -> crashing.fit(m, data));
        }
        assertEquals(0.5, io.github.recurra.api.train.Checkpoint.load(ckpt).learningRateFactor());
        List<Double> resumed = new ArrayList<>();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 99))) {
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(11)
                    .listener(record(resumed)).build().resume(m, data, ckpt);
            Parameters end = m.parameters();
            for (String name : end.names()) {
                assertArrayEquals(straightEnd.get(name).data(), end.get(name).data(), 0f, name);
            }
        }
        assertEquals(straight.subList(10, 30), resumed, "steps 11 to 30 at factor 0.5 after resuming from step 10");
    }

    @Test
    void checkpointOfAnotherNetworkIsRejected() {
        Path ckpt = dir.resolve("small.ckpt");
        Network small = Network.builder(2).layer(Sequence.of(GruCell.of(3))).head(Head.classifier(2)).build();
        try (Backend backend = new CpuBackend(1);
                Model m = backend.compile(small, Initialization.defaults().initialize(small, 1))) {
            Trainer.builder().batchSize(32).examples(64).checkpointEvery(1, ckpt).build().fit(m, data());
        }
        try (Backend backend = new CpuBackend(1);
                Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.builder().batchSize(32).examples(64).build().resume(m, data(), ckpt));
            assertTrue(e.getMessage().contains("was written for another network"), e.getMessage());
            IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                    .batchSize(16).examples(64).build().resume(
                            backend.compile(small, Initialization.defaults().initialize(small, 1)), data(),
                            ckpt));
            assertTrue(batch.getMessage().contains("batch size 32"), batch.getMessage());
            IllegalArgumentException seed = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                    .batchSize(32).examples(64).seed(6).build().resume(
                            backend.compile(small, Initialization.defaults().initialize(small, 1)), data(),
                            ckpt));
            assertTrue(seed.getMessage().contains("seed 0 but this trainer has 6"), seed.getMessage());
        }
    }

    private static TrainingListener record(List<Double> losses) {
        return new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                losses.add(r.loss());
            }
        };
    }
}
