package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.GruCell;
import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.CharText;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.data.Synthetic;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.train.Evaluation;
import io.github.recurra.api.train.Trainer;
import org.junit.jupiter.api.Test;

/** Short training runs on the synthetic tasks: a regression network and a sequence tagger learn. */
class TasksTest {

    @Test
    void perStepRegressionLearnsTheNoisySine() {
        Dataset d = Synthetic.noisySine(256, 30, 0.05, 1);
        Network net = Network.builder(1).layer(Sequence.builder(LstmCell.of(24)).returnSequences(true).build())
                .head(Head.of(1, Head.Target.EVERY_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(net, Initialization.defaults().initialize(net, 2))) {
            double before = Trainer.evaluate(m, d, 128).loss();
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(15).build().fit(m, d);
            Evaluation after = Trainer.evaluate(m, d, 128);
            assertTrue(after.loss() < 0.05 && after.loss() < before / 5, before + " -> " + after.loss());
        }
    }

    @Test
    void lastStepRegressionLearnsTheAddingProblem() {
        Dataset d = Synthetic.adding(1024, 12, 5);
        Network net = Network.builder(2).layer(Sequence.of(GruCell.of(24)))
                .head(Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(net, Initialization.defaults().initialize(net, 2))) {
            Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(64).epochs(25).build().fit(m, d);
            Evaluation after = Trainer.evaluate(m, Synthetic.adding(512, 12, 6), 256);
            // always answering 1 scores about 0.167
            assertTrue(after.loss() < 0.05, "adding problem MSE " + after.loss());
        }
    }

    @Test
    void bidirectionalTaggerLearnsCharacters() {
        CharText ct = CharText.of("the quick brown fox jumps over the lazy dog. ".repeat(20), 16, 4);
        Network net = Network.builder(ct.vocabulary().length)
                .layer(Sequence.builder(GruCell.of(32)).returnSequences(true).build())
                .head(Head.of(ct.vocabulary().length, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY))
                .build();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(net, Initialization.defaults().initialize(net, 3))) {
            Trainer.builder().optimizer(Optimizer.adam(0.02)).batchSize(32).epochs(20).build().fit(m, ct.dataset());
            Evaluation e = Trainer.evaluate(m, ct.dataset(), 64);
            assertTrue(e.accuracy() > 0.8, "next-character accuracy " + e.accuracy());
        }
        Network bi = Network.builder(ct.vocabulary().length)
                .layer(Sequence.builder(LstmCell.of(16)).direction(Direction.BIDIRECTIONAL).returnSequences(true)
                        .build())
                .head(Head.of(ct.vocabulary().length, Head.Target.EVERY_STEP, Head.Loss.SOFTMAX_CROSS_ENTROPY))
                .build();
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(bi, Initialization.defaults().initialize(bi, 3))) {
            double before = Trainer.evaluate(m, ct.dataset(), 64).loss();
            Trainer.builder().optimizer(Optimizer.adam(0.02)).batchSize(32).epochs(5).build().fit(m, ct.dataset());
            assertTrue(Trainer.evaluate(m, ct.dataset(), 64).loss() < before / 2);
        }
    }
}
