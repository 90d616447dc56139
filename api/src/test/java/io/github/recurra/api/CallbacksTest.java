package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.cell.RnnCell;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.train.BestModelCheckpoint;
import io.github.recurra.api.train.EarlyStopping;
import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.Metric;
import io.github.recurra.api.train.ReduceLearningRateOnPlateau;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ready-made callbacks on scripted scores, through a fake control (the trainer is tested elsewhere). */
class CallbacksTest {
    static final Network NET = TrainerTest.NET;

    @TempDir
    Path dir;

    /** Feeds validation losses at steps 10, 20, ...; stops feeding once a stop is requested. */
    private static FakeControl scoreValidation(TrainingListener l, long total, double... losses) {
        FakeControl c = new FakeControl(NET, total, true);
        l.onStart(total, c);
        for (int i = 0; i < losses.length && !c.stopRequested(); i++) {
            c.step = 10L * (i + 1);
            l.onValidation(new ValidationReport(c.step, 1, c.step * 2, losses[i], 0.5), c);
        }
        l.beforeEnd(c);
        return c;
    }

    @Test
    void earlyStoppingStopsAfterPatienceScoringsWithoutImprovement() {
        double[] losses = {1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.76, 0.77, 0.5};
        // patience 2: 0.85 and 0.9 do not improve on 0.8, so it stops at the fourth scoring (step 40)
        EarlyStopping two = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(2).build();
        FakeControl c = scoreValidation(two, 1000, losses);
        assertEquals(40, c.stopStep);
        assertEquals(40, two.stoppedAt());
        assertEquals(0.8, two.bestValue());
        assertEquals(20, two.bestStep());
        assertTrue(c.stopReason.contains("validation loss did not improve") && c.stopReason.contains("2 scorings")
                && c.stopReason.contains("step 20"), c.stopReason);
        // patience 3: 0.7 at step 50 resets the count; 0.75, 0.76, 0.77 make three, so it stops at step 80
        EarlyStopping three = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(3).build();
        FakeControl c3 = scoreValidation(three, 1000, losses);
        assertEquals(80, c3.stopStep);
        assertEquals(50, three.bestStep());
        // minDelta 0.15: 0.8 improves on 1.0 by 0.2, but 0.7 does not improve on 0.8 by more than 0.15
        EarlyStopping delta = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(5).minDelta(0.15).build();
        FakeControl cd = scoreValidation(delta, 1000, losses);
        assertEquals(20, delta.bestStep());
        assertEquals(70, cd.stopStep, "scorings 3 to 7 do not improve by more than 0.15 on 0.8");
    }

    @Test
    void earlyStoppingRestoresTheParametersOfTheBestScoringBitForBit() {
        EarlyStopping es = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(2).build();
        FakeControl c = scoreValidation(es, 1000, 1.0, 0.8, 0.85, 0.9);
        assertEquals(1, c.setParameters.size(), "restored once, at the end");
        assertSame(FakeControl.at(NET, 20), c.setParameters.get(0));

        EarlyStopping keep = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(2).restoreBest(false).build();
        assertEquals(0, scoreValidation(keep, 1000, 1.0, 0.8, 0.85, 0.9).setParameters.size());
        // best at the last scoring: nothing to put back
        EarlyStopping last = EarlyStopping.builder(Metric.VALIDATION_LOSS).build();
        FakeControl atEnd = scoreValidation(last, 30, 1.0, 0.9, 0.8);
        assertNull(atEnd.stopReason);
        assertEquals(0, atEnd.setParameters.size());
    }

    @Test
    void accuracyIsMaximisedAndTrainingMetricsComeWithEpochs() {
        EarlyStopping acc = EarlyStopping.builder(Metric.TRAINING_ACCURACY).patience(1).build();
        FakeControl c = new FakeControl(NET, 1000, false);
        acc.onStart(1000, c);
        double[] accuracies = {0.5, 0.6, 0.55};
        for (int e = 0; e < accuracies.length; e++) {
            c.step = 5L * (e + 1);
            // validation reports do not count for a training metric
            acc.onValidation(new ValidationReport(c.step, e + 1, 0, 9, 0.0), c);
            acc.onEpochEnd(new EpochReport(e + 1, c.step, 0, 5, 1, accuracies[e], 1), c);
        }
        assertEquals(15, c.stopStep);
        assertEquals(0.6, acc.bestValue());
    }

    @Test
    void aMetricThatWillNeverBeScoredFailsAtTheStart() {
        EarlyStopping es = EarlyStopping.builder(Metric.VALIDATION_LOSS).build();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> es.onStart(10, new FakeControl(NET, 10, false)));
        assertTrue(none.getMessage().contains("no validation set"), none.getMessage());
        Network regression = Network.builder(3).layer(Sequence.of(RnnCell.of(2)))
                .head(Head.of(1, Head.Target.LAST_STEP, Head.Loss.MEAN_SQUARED_ERROR)).build();
        IllegalArgumentException acc = assertThrows(IllegalArgumentException.class, () -> ReduceLearningRateOnPlateau
                .builder(Metric.VALIDATION_ACCURACY).build().onStart(10, new FakeControl(regression, 10, true)));
        assertTrue(acc.getMessage().contains("regression head, which has no accuracy"), acc.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(0)
                .build());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.builder(Metric.VALIDATION_LOSS)
                .minDelta(-1).build());
    }

    @Test
    void stateIsResetWhenARunStarts() {
        EarlyStopping es = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(2).build();
        scoreValidation(es, 1000, 0.1, 0.2, 0.3);
        assertEquals(30, es.stoppedAt());
        // a second run with worse values than the first run's best still improves at its first scoring
        FakeControl second = scoreValidation(es, 1000, 0.5, 0.4);
        assertEquals(20, es.bestStep());
        assertNull(second.stopReason);
    }

    @Test
    void plateauLowersTheFactorAtTheRightScorings() {
        ReduceLearningRateOnPlateau r = ReduceLearningRateOnPlateau.builder(Metric.VALIDATION_LOSS).factor(0.5)
                .patience(2).cooldown(1).minFactor(0.2).minDelta(0).build();
        FakeControl c = new FakeControl(NET, 1000, true);
        r.onStart(1000, c);
        double[] losses = {1, 1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5};
        // worked by hand from the rule: reductions at scorings 3 and 6 (scorings 4 and 7 are the cooldowns), then
        // 0.5 improves at 8 and two scorings without improvement reduce at 10, floored at 0.2
        double[] want = {1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2};
        double[] got = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            c.step = i + 1;
            r.onValidation(new ValidationReport(c.step, 1, 0, losses[i], Double.NaN), c);
            got[i] = c.factor;
        }
        assertArrayEquals(want, got, 0);
        assertEquals(3, r.reductions());

        ReduceLearningRateOnPlateau longCooldown = ReduceLearningRateOnPlateau.builder(Metric.VALIDATION_LOSS)
                .factor(0.1).patience(1).cooldown(2).minDelta(0).build();
        FakeControl d = new FakeControl(NET, 1000, true);
        longCooldown.onStart(1000, d);
        double[] flat = {1, 1, 1, 1, 1, 1};
        // patience 1: reduction at 2; cooldown scorings 3 and 4 do not count; reduction at 5
        double[] wantFlat = {1, 0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1};
        for (int i = 0; i < flat.length; i++) {
            longCooldown.onValidation(new ValidationReport(i + 1, 1, 0, flat[i], Double.NaN), d);
            assertEquals(wantFlat[i], d.factor, 1e-15, "scoring " + (i + 1));
        }
    }

    @Test
    void bestModelFileHoldsTheParametersOfTheBestScoring() {
        Path file = dir.resolve("best.recurra");
        BestModelCheckpoint best = BestModelCheckpoint.builder(Metric.VALIDATION_ACCURACY, file).build();
        FakeControl c = new FakeControl(NET, 1000, true);
        best.onStart(1000, c);
        double[] accuracies = {0.2, 0.5, 0.4, 0.5, 0.45};
        for (int i = 0; i < accuracies.length; i++) {
            c.step = 10L * (i + 1);
            best.onValidation(new ValidationReport(c.step, 1, 0, 1.0, accuracies[i]), c);
        }
        assertEquals(2, best.saves());
        assertEquals(20, best.bestStep());
        ModelFile f = ModelFile.load(file);
        assertEquals(NET, f.network());
        assertSame(FakeControl.at(NET, 20), f.parameters());

        BestModelCheckpoint nowhere = BestModelCheckpoint.builder(Metric.VALIDATION_LOSS,
                dir.resolve("missing").resolve("best.recurra")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nowhere.onStart(10, new FakeControl(NET, 10, true)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("missing")));
    }

    static void assertSame(Parameters want, Parameters got) {
        assertEquals(want.names(), got.names());
        for (String name : want.names()) {
            assertArrayEquals(want.get(name).data(), got.get(name).data(), 0f, name);
        }
    }
}
