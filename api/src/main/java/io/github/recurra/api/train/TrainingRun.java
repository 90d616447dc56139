package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.TrainingSession;
import io.github.recurra.api.spi.TrainingStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link Trainer}: the loop over steps, the validation scorings, the epoch summaries, the history, the
 * checkpoints, and the {@link TrainingControl} its listeners get. Used once, on one thread.
 */
final class TrainingRun implements TrainingControl {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private final Trainer trainer;
    private final Model model;
    private final Dataset train;
    private final Checkpoint from;
    private final Head head;
    private final int batchSize;
    private final List<StepReport> steps = new ArrayList<>();
    private final List<EpochReport> epochs = new ArrayList<>();
    private final List<ValidationReport> validations = new ArrayList<>();
    private TrainingSession session;
    private long total;
    private long step;
    private int epoch;
    private String stopReason;
    private boolean finished;
    // the epoch in progress, over the steps of this run
    private long epochSteps;
    private double epochLoss;
    private double epochAccuracy;
    private long epochNanos;

    TrainingRun(Trainer trainer, Model model, Dataset train, Checkpoint from) {
        this.trainer = trainer;
        this.model = Objects.requireNonNull(model, "model");
        this.train = Objects.requireNonNull(train, "train");
        this.from = from;
        this.head = model.network().requireHead();
        this.batchSize = trainer.batchSize();
    }

    /** Trains from the model's parameters, or from {@code from}'s state and position when resuming. */
    TrainingResult run() {
        check();
        total = trainer.steps(train.size());
        step = from == null ? 0 : from.step();
        epoch = from == null ? 1 : from.epoch();
        int pos = from == null ? 0 : from.position();
        int[] order = train.permutation(new SplittableRandom(trainer.epochSeed(epoch)));
        if (from != null) {
            model.setParameters(from.parameters());
        }
        session = model.openTraining(trainer.optimizer());
        try {
            if (from != null) {
                session.restore(from.slots(), from.updates());
                session.setLearningRateFactor(from.learningRateFactor());
            }
            List<TrainingListener> listeners = trainer.listeners();
            LOG.debug("training {} on backend '{}': steps {}..{} of batch {}, {}, seed {}{}{}{}", model.network(),
                    model.backend(), step + 1, total, batchSize, trainer.optimizer(), trainer.seed(),
                    trainer.truncation() == null ? "" : ", truncated BPTT " + trainer.truncation(),
                    trainer.checkpointFile() == null ? "" : ", checkpoint every " + trainer.checkpointEvery()
                            + " steps to " + trainer.checkpointFile(),
                    trainer.validation() == null ? "" : ", validating on " + trainer.validation().size()
                            + " examples");
            long first = step;
            listeners.forEach(l -> l.onStart(total, this));
            long t0 = System.nanoTime();
            double lastLoss = Double.NaN;
            int[] idx = new int[batchSize];
            while (step < total) {
                long s0 = System.nanoTime();
                if (pos + batchSize > order.length) {
                    epoch++;
                    order = train.permutation(new SplittableRandom(trainer.epochSeed(epoch)));
                    pos = 0;
                }
                System.arraycopy(order, pos, idx, 0, batchSize);
                pos += batchSize;
                StepReport report = step(train.batch(idx), step + 1, s0);
                step++;
                lastLoss = report.loss();
                steps.add(report);
                epochSteps++;
                epochLoss += report.loss();
                epochAccuracy += report.accuracy();
                epochNanos += report.nanos();
                listeners.forEach(l -> l.onStep(report, this));
                boolean epochEnds = pos + batchSize > order.length;
                long validatedAt = -1;
                if (trainer.validation() != null && (trainer.validationSchedule().due(step, epochEnds) || ending())) {
                    validate();
                    validatedAt = step;
                }
                if (epochEnds || ending()) {
                    endEpoch();
                }
                if (trainer.validation() != null && ending() && validatedAt != step) {
                    validate();
                }
                Path file = trainer.checkpointFile();
                if (file != null && (step % trainer.checkpointEvery() == 0 || ending())) {
                    new Checkpoint(model.network(), model.parameters(), trainer.optimizer(), session.slots(),
                            session.updates(), step, epoch, pos, batchSize, trainer.seed(), trainer.truncation(),
                            report.loss(), session.learningRateFactor()).save(file);
                }
                if (stopReason != null) {
                    break;
                }
            }
            listeners.forEach(l -> l.beforeEnd(this));
            finished = true;
            TrainingResult result = new TrainingResult(step, step * batchSize, epoch, lastLoss,
                    (System.nanoTime() - t0) / 1e9, new TrainingHistory(steps, epochs, validations),
                    step < total ? stopReason : null);
            session.close();
            LOG.debug("trained {} steps ({} examples, {} epochs) in {} s, last loss {}{}", step - first,
                    (step - first) * batchSize, epoch, result.seconds(), lastLoss,
                    result.stopReason() == null ? "" : "; stopped early: " + result.stopReason());
            listeners.forEach(l -> l.onEnd(result));
            return result;
        } finally {
            finished = true;
            session.close();
        }
    }

    /** Whether the step just applied is the run's last: the budget is used up or a stop was requested. */
    private boolean ending() {
        return step == total || stopReason != null;
    }

    /** Fails before any work if the data, the validation set or the checkpoint directory do not fit. */
    private void check() {
        int features = model.network().inputSize();
        if (train.features() != features) {
            throw new IllegalArgumentException("the training set has " + train.features() + " features per step but "
                    + "the network expects " + features);
        }
        Trainer.checkTargets(head, train);
        Dataset validation = trainer.validation();
        if (validation != null) {
            if (validation.features() != features) {
                throw new IllegalArgumentException("the validation set has " + validation.features() + " features per "
                        + "step but the network expects " + features + "; split it from the same data as the "
                        + "training set");
            }
            if (validation.size() < 1) {
                throw new IllegalArgumentException("the validation set is empty; give it at least one example or "
                        + "leave out Trainer.Builder.validation");
            }
            try {
                Trainer.checkTargets(head, validation);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the validation set does not fit the head: " + e.getMessage(), e);
            }
        }
        TruncatedBptt truncation = trainer.truncation();
        if (truncation != null) {
            truncation.check(model.network(), train);
        }
        if (trainer.checkpointFile() != null) {
            Callbacks.checkDirectory(trainer.checkpointFile(), "checkpoint file");
        }
    }

    /** Step {@code number} on {@code batch}: through truncated BPTT or one session step. */
    private StepReport step(Batch batch, long number, long startNanos) {
        Optimizer optimizer = trainer.optimizer();
        double loss;
        double accuracy;
        double norm;
        TruncatedBptt truncation = trainer.truncation();
        if (truncation != null) {
            TruncatedBptt.Outcome o = truncation.train(session, batch, trainer.stepSeed(number));
            if (!o.applied()) {
                throw new NonFiniteLossException(number, o.loss(), o.gradientNorm(), optimizer.toString());
            }
            loss = o.loss();
            accuracy = o.accuracy();
            norm = o.gradientNorm();
        } else {
            TrainingStep s = session.step(batch, null, trainer.stepSeed(number));
            if (!s.applied()) {
                throw new NonFiniteLossException(number, s.loss(), s.gradientNorm(), optimizer.toString());
            }
            loss = s.loss();
            accuracy = Metrics.accuracy(head, s.logits(), batch);
            norm = s.gradientNorm();
        }
        return new StepReport(number, total, number * batchSize, epoch, loss, accuracy, norm,
                System.nanoTime() - startNanos);
    }

    private void validate() {
        Evaluation e = Trainer.evaluate(model, trainer.validation(), trainer.validationBatchSize());
        ValidationReport report = new ValidationReport(step, epoch, step * batchSize, e.loss(), e.accuracy());
        validations.add(report);
        trainer.listeners().forEach(l -> l.onValidation(report, this));
    }

    private void endEpoch() {
        if (epochSteps == 0) {
            return;
        }
        EpochReport report = new EpochReport(epoch, step, step * batchSize, epochSteps, epochLoss / epochSteps,
                epochAccuracy / epochSteps, epochNanos / 1e9);
        epochSteps = 0;
        epochLoss = 0;
        epochAccuracy = 0;
        epochNanos = 0;
        epochs.add(report);
        trainer.listeners().forEach(l -> l.onEpochEnd(report, this));
    }

    private void checkRunning() {
        if (finished) {
            throw new IllegalStateException("this training run has ended; its control works only during the run "
                    + "(use TrainingResult for what it did)");
        }
    }

    @Override
    public Network network() {
        return model.network();
    }

    @Override
    public Optimizer optimizer() {
        return trainer.optimizer();
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public long totalSteps() {
        return total;
    }

    @Override
    public boolean validates() {
        return trainer.validation() != null;
    }

    @Override
    public void requestStop(String reason) {
        checkRunning();
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a stop needs a reason for the result's stopReason, but was given '"
                    + reason + "'");
        }
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    @Override
    public boolean stopRequested() {
        return stopReason != null;
    }

    @Override
    public Parameters parameters() {
        checkRunning();
        return model.parameters();
    }

    @Override
    public void setParameters(Parameters parameters) {
        checkRunning();
        parameters.checkMatches(model.network());
        // as TrainingSession prescribes: a session may keep its own copy, so close it, set, reopen and restore
        Parameters slots = session.slots();
        long updates = session.updates();
        double factor = session.learningRateFactor();
        session.close();
        model.setParameters(parameters.copy());
        session = model.openTraining(trainer.optimizer());
        session.restore(slots, updates);
        session.setLearningRateFactor(factor);
    }

    @Override
    public double learningRateFactor() {
        checkRunning();
        return session.learningRateFactor();
    }

    @Override
    public void setLearningRateFactor(double factor) {
        checkRunning();
        session.setLearningRateFactor(OptimizerState.checkLearningRateFactor(factor));
    }

    @Override
    public TrainingHistory history() {
        return new TrainingHistory(steps, epochs, validations);
    }
}
