package io.github.recurra.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.io.ModelFile;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerText;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.train.Checkpoint;
import io.github.recurra.api.train.CsvLog;
import io.github.recurra.api.train.EarlyStopping;
import io.github.recurra.api.train.EpochReport;
import io.github.recurra.api.train.Metric;
import io.github.recurra.api.train.ReduceLearningRateOnPlateau;
import io.github.recurra.api.train.StepReport;
import io.github.recurra.api.train.Trainer;
import io.github.recurra.api.train.TrainingControl;
import io.github.recurra.api.train.TrainingHistory;
import io.github.recurra.api.train.TrainingListener;
import io.github.recurra.api.train.TrainingResult;
import io.github.recurra.api.train.ValidationReport;
import io.github.recurra.api.train.ValidationSchedule;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's history, validation, control and callbacks, on scripted models (numerics are the backends'). */
class TrainingFeedbackTest {
    @TempDir
    Path dir;

    /** 10 examples, batch 2: 5 steps per epoch. */
    static final Dataset TRAIN = TrainerTest.data(10);

    static double[] losses(int n) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = 1.0 / (i + 1);
        }
        return l;
    }

    static Trainer.Builder sgd() {
        return Trainer.builder().optimizer(Optimizer.sgd(0.1)).batchSize(2);
    }

    @Test
    void historyHoldsEveryStepEachEpochAndEveryValidation() {
        double[] script = losses(15);
        double[] val = {0.9, 0.8, 0.7, 0.6};
        ScriptedValidationModel m = new ScriptedValidationModel(script, val);
        TrainingResult r = sgd().epochs(3).validation(ScriptedValidationModel.validationSet(6),
                ValidationSchedule.everySteps(4), 6).build().fit(m, TRAIN);
        TrainingHistory h = r.history();
        assertEquals(15, h.steps().size());
        for (int i = 0; i < 15; i++) {
            StepReport s = h.steps().get(i);
            assertEquals(i + 1, s.step());
            assertEquals(15, s.totalSteps());
            assertEquals(2L * (i + 1), s.examples());
            assertEquals(i / 5 + 1, s.epoch());
            assertEquals(script[i], s.loss());
        }
        assertEquals(3, h.epochs().size());
        for (int e = 0; e < 3; e++) {
            EpochReport er = h.epochs().get(e);
            double mean = 0;
            for (int i = 5 * e; i < 5 * e + 5; i++) {
                mean += script[i];
            }
            assertEquals(e + 1, er.epoch());
            assertEquals(5L * (e + 1), er.step());
            assertEquals(10L * (e + 1), er.examples());
            assertEquals(5, er.steps());
            assertEquals(mean / 5, er.meanLoss(), 1e-15);
            assertEquals(1.0, er.meanAccuracy(), "the training logits are zeros: the tie goes to class 0, every label");
        }
        // every 4 steps, and the last step
        assertEquals(List.of(4L, 8L, 12L, 15L), h.validations().stream().map(ValidationReport::step).toList());
        assertEquals(List.of(1, 2, 3, 3), h.validations().stream().map(ValidationReport::epoch).toList());
        for (int i = 0; i < val.length; i++) {
            assertEquals(val[i], h.validations().get(i).loss(), 1e-6, "validation " + i);
        }
        assertEquals(4, m.forwards);
        assertNull(r.stopReason());
        assertFalse(r.stoppedEarly());
        assertEquals(15, r.steps());
    }

    @Test
    void eachEpochScoresAtEpochEndsAndAPartialLastEpochIsReported() {
        ScriptedValidationModel m = new ScriptedValidationModel(losses(7));
        // 14 examples of batch 2 = 7 steps: one whole epoch and two steps of the second
        TrainingHistory h = sgd().examples(14).validation(ScriptedValidationModel.validationSet(3),
                ValidationSchedule.eachEpoch()).build().fit(m, TRAIN).history();
        assertEquals(List.of(5L, 7L), h.validations().stream().map(ValidationReport::step).toList());
        assertEquals(2, h.epochs().size());
        assertEquals(2, h.epochs().get(1).steps());
        assertEquals(7, h.epochs().get(1).step());
        assertEquals((1.0 / 6 + 1.0 / 7) / 2, h.epochs().get(1).meanLoss(), 1e-15);
        assertEquals(4, m.forwards, "validation batch 2 (the training batch's) over 3 examples is 2 batches, twice");
    }

    @Test
    void listenersGetTheEventsInOrder() {
        List<String> events = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStart(long totalSteps, TrainingControl c) {
                events.add("start " + totalSteps);
            }

            @Override
            public void onStep(StepReport r) {
                events.add("step " + r.step());
            }

            @Override
            public void onValidation(ValidationReport r, TrainingControl c) {
                events.add("validation " + r.step());
            }

            @Override
            public void onEpochEnd(EpochReport r, TrainingControl c) {
                events.add("epoch " + r.epoch());
            }

            @Override
            public void beforeEnd(TrainingControl c) {
                events.add("before end " + c.step());
            }

            @Override
            public void onEnd(TrainingResult r) {
                events.add("end " + r.steps());
            }
        };
        sgd().examples(12).validation(ScriptedValidationModel.validationSet(2), ValidationSchedule.everySteps(5))
                .listener(recorder).build().fit(new ScriptedValidationModel(losses(6)), TRAIN);
        assertEquals(List.of("start 6", "step 1", "step 2", "step 3", "step 4", "step 5", "validation 5", "epoch 1",
                "step 6", "validation 6", "epoch 2", "before end 6", "end 6"), events);
    }

    @Test
    void aStopRequestEndsTheRunWithItsReason() {
        TrainingListener stopAt7 = new TrainingListener() {
            @Override
            public void onStep(StepReport r, TrainingControl c) {
                if (r.step() == 7) {
                    c.requestStop("enough at 7");
                    c.requestStop("a second reason is ignored");
                }
            }
        };
        ScriptedValidationModel m = new ScriptedValidationModel(losses(15));
        TrainingResult r = sgd().epochs(3).validation(ScriptedValidationModel.validationSet(2),
                ValidationSchedule.eachEpoch()).listener(stopAt7).build().fit(m, TRAIN);
        assertEquals("enough at 7", r.stopReason());
        assertTrue(r.stoppedEarly());
        assertEquals(7, r.steps());
        assertEquals(14, r.examples());
        assertEquals(7, m.steps);
        assertEquals(7, r.history().steps().size());
        assertEquals(List.of(5L, 7L), r.history().validations().stream().map(ValidationReport::step).toList());
        assertEquals(List.of(5L, 7L), r.history().epochs().stream().map(EpochReport::step).toList());
        assertThrows(IllegalArgumentException.class, () -> sgd().epochs(1).listener(new TrainingListener() {
            @Override
            public void onStep(StepReport s, TrainingControl c) {
                c.requestStop(" ");
            }
        }).build().fit(new ScriptedValidationModel(losses(5)), TRAIN));
    }

    @Test
    void theControlReplacesParametersAndScalesTheLearningRate() {
        Parameters zeros = new ScriptedValidationModel(losses(1)).parameters().zerosLike();
        TrainingControl[] kept = new TrainingControl[1];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStep(StepReport r, TrainingControl c) {
                kept[0] = c;
                if (r.step() == 2) {
                    c.setParameters(zeros);
                    assertArrayEquals(zeros.get("layer0.W").data(), c.parameters().get("layer0.W").data(), 0f);
                    c.setLearningRateFactor(0.5);
                }
            }
        };
        ScriptedValidationModel m = new ScriptedValidationModel(losses(5));
        sgd().epochs(1).listener(l).build().fit(m, TRAIN);
        // steps 3, 4 and 5 from zeros with gradient 1 at rate 0.1 x 0.5, in float32 as SGD computes
        float rate = (float) (0.1 * 0.5);
        float want = 0f - rate;
        want = want - rate;
        want = want - rate;
        for (Map.Entry<String, io.github.recurra.api.tensor.Tensor> e : m.params.asMap().entrySet()) {
            for (float v : e.getValue().data()) {
                assertEquals(want, v, 0f, e.getKey());
            }
        }
        IllegalStateException after = assertThrows(IllegalStateException.class, () -> kept[0].parameters());
        assertTrue(after.getMessage().contains("has ended"), after.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sgd().epochs(1).listener(new TrainingListener() {
            @Override
            public void onStep(StepReport r, TrainingControl c) {
                c.setLearningRateFactor(0);
            }
        }).build().fit(new ScriptedValidationModel(losses(5)), TRAIN));
    }

    @Test
    void aValidationSetThatDoesNotFitFailsBeforeAnyStep() {
        ScriptedValidationModel m = new ScriptedValidationModel(losses(5));
        Dataset wide = Dataset.of(new float[4 * 4 * 5], new int[4], 4, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd()
                .validation(wide, ValidationSchedule.eachEpoch()).build().fit(m, TRAIN));
        assertTrue(e.getMessage().contains("validation set has 5 features"), e.getMessage());
        Dataset values = Dataset.builder(4, 3).inputs(new float[4 * 4 * 3]).targets(new float[4], 1).build();
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> sgd()
                .validation(values, ValidationSchedule.eachEpoch()).build().fit(m, TRAIN));
        assertTrue(t.getMessage().contains("validation set does not fit the head"), t.getMessage());
        assertEquals(0, m.steps);
        assertThrows(IllegalArgumentException.class, () -> ValidationSchedule.everySteps(0));
    }

    @Test
    void earlyStoppingEndsARunWhoseValidationLossRisesAndRestoresTheBestParameters() {
        // validation losses at steps 2, 4, 6, ...: best at step 6, then rising
        double[] val = {0.9, 0.8, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95};
        ScriptedValidationModel m = new ScriptedValidationModel(losses(30), val);
        Map<Long, Parameters> seen = new LinkedHashMap<>();
        TrainingListener snapshot = new TrainingListener() {
            @Override
            public void onValidation(ValidationReport r, TrainingControl c) {
                seen.put(r.step(), c.parameters());
            }
        };
        EarlyStopping es = EarlyStopping.builder(Metric.VALIDATION_LOSS).patience(3).build();
        TrainingResult r = sgd().epochs(6).validation(ScriptedValidationModel.validationSet(4),
                ValidationSchedule.everySteps(2), 4).listener(snapshot).listener(es).build().fit(m, TRAIN);
        assertEquals(12, r.steps(), "three scorings without improvement after step 6: 8, 10 and 12");
        assertTrue(r.stopReason().startsWith("early stopping: the validation loss did not improve"), r.stopReason());
        assertEquals(6, es.bestStep());
        CallbacksTest.assertSame(seen.get(6L), m.parameters());
        assertFalse(java.util.Arrays.equals(seen.get(12L).get("layer0.W").data(), m.params.get("layer0.W").data()));
    }

    @Test
    void csvLogsParseBackToTheHistory() throws IOException {
        Path steps = dir.resolve("steps.csv");
        Path epochs = dir.resolve("epochs.csv");
        ScriptedValidationModel m = new ScriptedValidationModel(losses(15), 0.9, 0.8, 0.85, 0.95, 0.99);
        ReduceLearningRateOnPlateau plateau = ReduceLearningRateOnPlateau.builder(Metric.VALIDATION_LOSS)
                .patience(1).factor(0.5).minDelta(0).build();
        TrainingResult r = sgd().epochs(3).validation(ScriptedValidationModel.validationSet(2),
                ValidationSchedule.everySteps(3), 2).listener(CsvLog.steps(steps)).listener(CsvLog.epochs(epochs))
                .listener(plateau).build().fit(m, TRAIN);
        TrainingHistory h = r.history();

        List<CSVRecord> s = read(steps, CsvLog.STEP_HEADER);
        assertEquals(h.steps().size(), s.size());
        for (int i = 0; i < s.size(); i++) {
            StepReport want = h.steps().get(i);
            CSVRecord row = s.get(i);
            assertEquals(want.step(), Long.parseLong(row.get("step")));
            assertEquals(want.epoch(), Integer.parseInt(row.get("epoch")));
            assertEquals(want.examples(), Long.parseLong(row.get("examples")));
            assertEquals(want.loss(), Double.parseDouble(row.get("loss")));
            assertEquals(want.accuracy(), Double.parseDouble(row.get("accuracy")));
            assertEquals(want.gradientNorm(), Double.parseDouble(row.get("gradient_norm")));
            assertEquals(want.nanos() / 1e9, Double.parseDouble(row.get("seconds")));
        }
        // validation at 3 (0.9), 6 (0.8), 9 (0.85: reduce to 0.5 after step 9's row), 12 (0.95: 0.25), 15 (0.99)
        assertEquals("1.0", s.get(8).get("learning_rate_factor"));
        assertEquals("0.5", s.get(9).get("learning_rate_factor"));
        assertEquals("0.5", s.get(11).get("learning_rate_factor"));
        assertEquals("0.25", s.get(12).get("learning_rate_factor"));
        assertEquals(3, plateau.reductions());

        List<CSVRecord> e = read(epochs, CsvLog.EPOCH_HEADER);
        assertEquals(h.epochs().size() + h.validations().size(), e.size());
        int ei = 0;
        int vi = 0;
        for (CSVRecord row : e) {
            if (row.get("event").equals("epoch")) {
                EpochReport want = h.epochs().get(ei++);
                assertEquals(want.step(), Long.parseLong(row.get("step")));
                assertEquals(want.epoch(), Integer.parseInt(row.get("epoch")));
                assertEquals(want.examples(), Long.parseLong(row.get("examples")));
                assertEquals(want.meanLoss(), Double.parseDouble(row.get("loss")));
                assertEquals(want.meanAccuracy(), Double.parseDouble(row.get("accuracy")));
                assertEquals(want.steps(), Long.parseLong(row.get("steps")));
                assertEquals(want.seconds(), Double.parseDouble(row.get("seconds")));
            } else {
                assertEquals("validation", row.get("event"));
                ValidationReport want = h.validations().get(vi++);
                assertEquals(want.step(), Long.parseLong(row.get("step")));
                assertEquals(want.epoch(), Integer.parseInt(row.get("epoch")));
                assertEquals(want.loss(), Double.parseDouble(row.get("loss")));
                assertEquals(want.accuracy(), Double.parseDouble(row.get("accuracy")));
                assertEquals("", row.get("steps"));
            }
        }
        assertEquals(List.of("validation", "epoch", "validation"), e.subList(0, 3).stream()
                .map(x -> x.get("event")).toList(), "steps 3, 5 and 6, in the order they happened");

        // appending keeps the header and the old rows
        sgd().epochs(1).listener(CsvLog.steps(steps).appending()).build()
                .fit(new ScriptedValidationModel(losses(5)), TRAIN);
        assertEquals(h.steps().size() + 5, read(steps, CsvLog.STEP_HEADER).size());
        // not appending starts again
        sgd().epochs(1).listener(CsvLog.steps(steps)).build().fit(new ScriptedValidationModel(losses(5)), TRAIN);
        assertEquals(5, read(steps, CsvLog.STEP_HEADER).size());
    }

    private static List<CSVRecord> read(Path file, String header) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
            assertEquals(List.of(header.split(",")), parser.getHeaderNames());
            return parser.getRecords();
        }
    }

    @Test
    void checkpointsKeepTheFactorAndOldFormatTwoFilesResumeWithFactorOne() {
        Path ckpt = dir.resolve("run.ckpt");
        TrainingListener halve = new TrainingListener() {
            @Override
            public void onStep(StepReport r, TrainingControl c) {
                if (r.step() == 2) {
                    c.setLearningRateFactor(0.25);
                }
            }
        };
        sgd().examples(8).checkpointEvery(2, ckpt).listener(halve).build()
                .fit(new ScriptedValidationModel(losses(4)), TRAIN);
        Checkpoint c = Checkpoint.load(ckpt);
        assertEquals(0.25, c.learningRateFactor());
        assertEquals(4, c.step());

        // a format 2 checkpoint, as the previous version wrote it (no factor)
        Path old = dir.resolve("format2.ckpt");
        Parameters p = new ScriptedValidationModel(losses(1)).parameters();
        Map<String, String> progress = new LinkedHashMap<>();
        progress.put("format", "2");
        progress.put("step", "2");
        progress.put("epoch", "1");
        progress.put("position", "4");
        progress.put("batchSize", "2");
        progress.put("optimizer", OptimizerText.write(Optimizer.sgd(0.1)));
        progress.put("loss", "0.5");
        progress.put("updates", "2");
        progress.put("seed", "0");
        progress.put("windows", "none");
        ModelFile.of(TrainerTest.NET, p).withTensors("optimizer", Parameters.empty()).withText("trainer", progress)
                .save(old);
        Checkpoint two = Checkpoint.load(old);
        assertEquals(1.0, two.learningRateFactor());
        assertEquals(2, two.step());
        ScriptedValidationModel resumed = new ScriptedValidationModel(losses(3));
        TrainingResult r = sgd().examples(8).build().resume(resumed, TRAIN, old);
        assertEquals(4, r.steps());
        assertEquals(2, r.history().steps().size(), "a resumed run's history covers the steps it ran");
        assertEquals(3, r.history().steps().get(0).step());
        // two SGD steps at the full rate from the checkpoint's parameters
        float w = p.get("layer0.W").data()[0];
        w = w - 0.1f;
        w = w - 0.1f;
        assertEquals(w, resumed.params.get("layer0.W").data()[0], 0f);
    }
}
