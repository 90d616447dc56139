package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.NonFiniteLossException;
import io.github.recurra.api.train.Trainer;
import org.junit.jupiter.api.Test;

/** The training loop's own behaviour, against a scripted model (the numerics are tested on real backends). */
class TrainerTest {
    static final Network NET = Network.builder(3).layer(Sequence.of(RnnCell.of(2))).head(Head.classifier(2))
            .build();

    /** Returns the loss script and gradients of all ones; records what it was given. */
    static final class ScriptedModel implements Model {
        final double[] losses;
        Parameters params = Initialization.defaults().initialize(NET, 0);
        int calls;

        ScriptedModel(double... losses) {
            this.losses = losses;
        }

        @Override
        public String backend() {
            return "scripted";
        }

        @Override
        public Network network() {
            return NET;
        }

        @Override
        public Forward forward(Batch batch, States initial) {
            throw new UnsupportedOperationException("not scripted");
        }

        @Override
        public LossAndGradients lossAndGradients(Batch batch, States initial, long seed) {
            Parameters g = params.zerosLike();
            g.asMap().values().forEach(t -> java.util.Arrays.fill(t.data(), 1f));
            return new LossAndGradients(losses[calls++], Tensor.zeros(batch.size(), 2), g, null, null);
        }

        @Override
        public Parameters parameters() {
            return params.copy();
        }

        @Override
        public void setParameters(Parameters p) {
            params = p.copy();
        }

        @Override
        public void close() {
        }
    }

    static Dataset data(int n) {
        return Dataset.of(new float[n * 4 * 3], new int[n], 4, 3, 2);
    }

    @Test
    void budgetInExamplesRoundsDownLikeTheTutorial() {
        Trainer t = Trainer.builder().batchSize(128).examples(100_000).build();
        assertEquals(781, t.steps(55_000));
        assertEquals(3 * (55_000 / 128), Trainer.builder().batchSize(128).epochs(3).build().steps(55_000));
    }

    @Test
    void nonFiniteLossStopsAndKeepsTheLastGoodParameters() {
        ScriptedModel m = new ScriptedModel(0.5, 0.4, Double.NaN, 0.3);
        Trainer t = Trainer.builder().optimizer(Optimizer.sgd(0.1)).batchSize(2).examples(8).build();
        Parameters before = m.parameters();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.fit(m, data(10)));
        assertEquals(3, e.step());
        assertTrue(e.getMessage().contains("step 3") && e.getMessage().contains("Lower the learning rate"),
                e.getMessage());
        // two SGD steps of gradient 1 at lr 0.1 were applied, the third was not
        float[] w0 = before.get("layer0.W").data();
        float[] w = m.params.get("layer0.W").data();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w0[i] - 0.2f, w[i], 1e-6);
        }
    }

    @Test
    void datasetTargetsMustFitTheHead() {
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().batchSize(2).build().fit(new ScriptedModel(1),
                        Dataset.of(new float[10 * 4 * 3], new int[10], 4, 3, 5)));
        assertTrue(classes.getMessage().contains("5 classes but the head has 2 outputs"), classes.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().batchSize(2).build().fit(new ScriptedModel(1),
                        Dataset.builder(4, 3).inputs(new float[10 * 4 * 3]).targets(new float[10], 1).build()));
        assertTrue(kind.getMessage().contains("needs CLASS targets but the dataset has VALUES"), kind.getMessage());
    }

    @Test
    void anUpdateThatOverflowsIsRolledBack() {
        ScriptedModel m = new ScriptedModel(0.5, 0.5);
        Parameters before = m.parameters();
        // a finite learning rate that is infinite in float32 makes every parameter overflow
        Trainer t = Trainer.builder().optimizer(Optimizer.sgd(1e300)).batchSize(2).examples(4).build();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.fit(m, data(10)));
        assertEquals(1, e.step());
        for (String name : before.names()) {
            assertArrayEquals(before.get(name).data(), m.params.get(name).data(), 0f, name);
        }
    }

    @Test
    void tooSmallTrainingSetIsRejected() {
        Trainer t = Trainer.builder().batchSize(16).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(new ScriptedModel(1), data(10)));
        assertTrue(e.getMessage().contains("fewer than one batch"), e.getMessage());
    }

    @Test
    void featureMismatchIsRejectedBeforeTraining() {
        ScriptedModel m = new ScriptedModel(1);
        Dataset wrong = Dataset.of(new float[10 * 4 * 5], new int[10], 4, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().batchSize(2).build().fit(m, wrong));
        assertTrue(e.getMessage().contains("5 features") && e.getMessage().contains("expects 3"), e.getMessage());
        assertArrayEquals(new double[] {1}, m.losses);
        assertEquals(0, m.calls);
    }
}
