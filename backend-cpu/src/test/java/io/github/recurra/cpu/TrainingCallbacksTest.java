package io.github.recurra.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.cell.LstmCell;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Initialization;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.train.BestModelCheckpoint;
import io.github.recurra.api.train.EarlyStopping;
import io.github.recurra.api.train.Metric;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingControl;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.api.train.ValidationReport;
import io.github.recurra.api.train.ValidationSchedule;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early stopping and the best-model file on a real backend, on a task that overfits: a simple rule with 30% of the
 * training labels flipped, so the validation loss (clean labels) first falls as the rule is learnt, then rises as the
 * small training set's noise is memorised.
 */
class TrainingCallbacksTest {
    @TempDir
    Path dir;

    static final Network NET = Network.builder(3).layer(Sequence.of(LstmCell.of(24))).head(Head.classifier(2))
            .build();

    /** Label 1 when the first and last inputs sum above 0, each label flipped with probability {@code noise}. */
    static Dataset noisyLabels(int n, double noise, long seed) {
        Tensor x = CpuModelTest.randomInputs(n, 6, 3, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean sign = x.data()[i * 18] + x.data()[i * 18 + 17] > 0;
            y[i] = sign ^ (r.nextDouble() < noise) ? 1 : 0;
        }
        return Dataset.of(x.data(), y, 6, 3, 2);
    }

    @Test
    void earlyStoppingEndsAnOverfittingRunAtTheRightStepAndRestoresTheBestParameters() {
        Dataset train = noisyLabels(32, 0.3, 1);
        Dataset validation = noisyLabels(64, 0, 2);
        Map<Long, Parameters> atScoring = new HashMap<>();
        TrainingListener snapshot = new TrainingListener() {
            @Override
            public void onValidation(ValidationReport r, TrainingControl c) {
                atScoring.put(r.step(), c.parameters());
            }
        };
        EarlyStopping stop = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(4).build();
        Path bestFile = dir.resolve("best.recurra");
        BestModelCheckpoint best = BestModelCheckpoint.builder(Metric.VALIDATION_LOSS, bestFile).build();
        TrainingResult r;
        Parameters end;
        try (Backend backend = new CpuBackend(2);
                Model m = backend.compile(NET, Initialization.defaults().initialize(NET, 3))) {
            r = Trainer.builder().optimizer(Optimizer.adam(0.01)).batchSize(8).epochs(200).seed(4)
                    .validation(validation, ValidationSchedule.eachEpoch(), 64)
                    .listener(snapshot).listener(stop).listener(best).build().fit(m, train);
            end = m.parameters();
        }
        assertTrue(r.stoppedEarly(), "the validation loss should rise long before 200 epochs: " + r);
        var scores = r.history().validations();
        // the stop comes at the fourth scoring after the best one, and the best is the lowest of the run
        ValidationReport lowest = scores.stream().min((a, b) -> Double.compare(a.loss(), b.loss())).orElseThrow();
        assertEquals(lowest.step(), stop.bestStep());
        assertEquals(lowest.loss(), stop.bestValue());
        assertTrue(stop.bestStep() > scores.get(0).step(), "the validation loss fell before it rose");
        assertEquals(stop.bestStep() + 4 * 4, r.steps(), "4 epochs of 4 steps after the best scoring");
        assertEquals(scores.get(scores.size() - 1).step(), r.steps());
        assertTrue(scores.get(scores.size() - 1).loss() > lowest.loss());
        assertTrue(r.history().epochs().get(r.history().epochs().size() - 1).meanLoss()
                < r.history().epochs().get(0).meanLoss(), "the training loss kept falling");
        assertTrue(r.stopReason().contains("4 scorings"), r.stopReason());
        // the model ends with the best step's parameters, bit for bit, and the best-model file holds them too
        Parameters want = atScoring.get(stop.bestStep());
        Parameters saved = ModelFile.load(bestFile).parameters();
        assertEquals(stop.bestStep(), best.bestStep());
        for (String name : want.names()) {
            assertArrayEquals(want.get(name).data(), end.get(name).data(), 0f, name);
            assertArrayEquals(want.get(name).data(), saved.get(name).data(), 0f, name);
        }
    }
}
