package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.TrainingSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Trains a {@link Model} on any backend with minibatch gradient descent, with the feedback of Keras' {@code fit}: a
 * {@link TrainingHistory} of every step, epoch and validation scoring on the result, an optional validation set
 * ({@link Builder#validation}) and listeners ({@link TrainingListener}) that may stop the run, replace the parameters
 * or scale the learning rate through a {@link TrainingControl} (ready-made: {@link EarlyStopping},
 * {@link BestModelCheckpoint}, {@link ReduceLearningRateOnPlateau}, {@link CsvLog}).
 *
 * <p>Each step takes the next {@link #batchSize()} examples of a seeded random permutation of the training set
 * (a new permutation, seeded by the run's seed and the epoch number, when fewer than a batch remain, so every batch is
 * full and an epoch drops its remainder), asks
 * the model's {@link TrainingSession} ({@link Model#openTraining}) for one step (loss, gradients, one optimizer
 * update, which the session applies only if everything is finite) and stops with {@link NonFiniteLossException} if
 * the session refused it. The trainer orchestrates only (data order, steps, validation, listeners,
 * {@link Checkpoint}s); the update happens in the session, on the host or in the backend. With
 * {@link Builder#truncatedBptt} each batch is trained window by window ({@link TruncatedBptt}). The budget is a number
 * of training examples (steps = examples / batch size, rounded down but at least 1, as the TensorFlow tutorial's loop)
 * or of epochs (steps = epochs × (training examples / batch size)); a listener may end the run sooner
 * ({@link TrainingControl#requestStop}), and {@link TrainingResult#stopReason()} says why. Immutable; build with
 * {@link #builder()}.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final int batchSize;
    private final long examples;
    private final int epochs;
    private final long seed;
    private final List<TrainingListener> listeners;
    private final Path checkpoint;
    private final int checkpointEvery;
    private final TruncatedBptt truncation;
    private final Dataset validation;
    private final ValidationSchedule validationSchedule;
    private final int validationBatchSize;

    private Trainer(Builder b) {
        this.validation = b.validation;
        this.validationSchedule = b.validationSchedule;
        this.validationBatchSize = b.validationBatchSize == 0 ? b.batchSize : b.validationBatchSize;
        this.truncation = b.truncation;
        this.checkpoint = b.checkpoint;
        this.checkpointEvery = b.checkpointEvery;
        this.optimizer = b.optimizer;
        this.batchSize = b.batchSize;
        this.examples = b.examples;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.listeners = List.copyOf(b.listeners);
    }

    /** @return a builder: Adam(0.001), batch 128, one epoch, seed 0 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return examples per step */
    public int batchSize() {
        return batchSize;
    }

    /**
     * @param trainSize examples in the training set
     * @return the number of steps a run will take
     */
    public long steps(int trainSize) {
        if (trainSize < batchSize) {
            throw new IllegalArgumentException("the training set has " + trainSize + " examples, fewer than one batch "
                    + "of " + batchSize + "; use a smaller batch size or more data");
        }
        if (examples > 0) {
            return Math.max(1, examples / batchSize);
        }
        return (long) epochs * (trainSize / batchSize);
    }

    /**
     * Trains {@code model} on {@code train} from its current parameters.
     *
     * @param model the model, with a head, on a backend that trains
     * @param train the training set
     * @return what was done, with the run's history
     * @throws NonFiniteLossException   if the loss or gradients become NaN or infinite
     * @throws IllegalArgumentException if the training or validation set does not fit the network, naming the
     *                                  mismatch (checked before any step)
     */
    public TrainingResult fit(Model model, Dataset train) {
        Objects.requireNonNull(model, "model");
        return new TrainingRun(this, model, train, null).run();
    }

    /**
     * Continues a run from a checkpoint written by this trainer's {@link Builder#checkpointEvery}: restores the
     * parameters, the optimizer's state and the position in the data, then trains to the end of the budget. On the
     * CPU backend the losses are exactly those the uninterrupted run would have had. The checkpoint holds the
     * learning-rate factor a listener had set ({@link TrainingControl#setLearningRateFactor}), and the resumed run
     * continues with it.
     *
     * <p>What the checkpoint does not hold: the history before it and the state of the listeners. The resumed run's
     * {@link TrainingResult#history()} covers the steps it ran (from the checkpoint's step + 1; its first epoch report
     * covers only those steps of the epoch), and stateful listeners start afresh in {@code onStart} (an
     * {@link EarlyStopping} counts its patience, and knows a best value, from the resumed run's scorings only).
     *
     * @param model      a model of the same network the checkpoint was written for
     * @param train      the same training set
     * @param checkpoint the checkpoint file
     * @return what was done over the whole run (steps and examples count those before the checkpoint; the history
     *     does not)
     * @throws IllegalArgumentException if the checkpoint is damaged (see {@link Checkpoint#load}), was written for
     *     another network, or with another optimizer (compared by {@code equals}), batch size, seed or
     *     truncation windows; the message names the differing setting
     */
    public TrainingResult resume(Model model, Dataset train, Path checkpoint) {
        Checkpoint c = Checkpoint.load(checkpoint);
        if (!c.network().equals(model.network())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written for another network: "
                    + c.network() + "; this model is " + model.network());
        }
        expect(checkpoint, "optimizer", c.optimizer(), optimizer);
        expect(checkpoint, "batch size", c.batchSize(), batchSize);
        expect(checkpoint, "seed", c.seed(), seed);
        expect(checkpoint, "truncation windows", Checkpoint.windows(c.truncation()), Checkpoint.windows(truncation));
        return new TrainingRun(this, model, train, c).run();
    }

    private static void expect(Path checkpoint, String setting, Object saved, Object mine) {
        if (!saved.equals(mine)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with " + setting + " "
                    + saved + " but this trainer has " + mine + "; resume with the same settings");
        }
    }

    Optimizer optimizer() {
        return optimizer;
    }

    long examplesBudget() {
        return examples;
    }

    long seed() {
        return seed;
    }

    List<TrainingListener> listeners() {
        return listeners;
    }

    Path checkpointFile() {
        return checkpoint;
    }

    int checkpointEvery() {
        return checkpointEvery;
    }

    TruncatedBptt truncation() {
        return truncation;
    }

    Dataset validation() {
        return validation;
    }

    ValidationSchedule validationSchedule() {
        return validationSchedule;
    }

    int validationBatchSize() {
        return validationBatchSize;
    }

    /** Fails before any work if the dataset's targets cannot train the head. */
    static void checkTargets(Head head, Dataset data) {
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        Dataset.TargetKind want;
        if (head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY) {
            want = perStep ? Dataset.TargetKind.CLASS_PER_STEP : Dataset.TargetKind.CLASS;
            if (data.targetKind() == want && data.classes() > head.outputs()) {
                throw new IllegalArgumentException("the dataset has " + data.classes() + " classes but the head has "
                        + head.outputs() + " outputs; build the head with Head.classifier(" + data.classes() + ")");
            }
        } else {
            want = perStep ? Dataset.TargetKind.VALUES_PER_STEP : Dataset.TargetKind.VALUES;
            if (data.targetKind() == want && data.targetSize() != head.outputs()) {
                throw new IllegalArgumentException("the dataset has " + data.targetSize() + " target values but the "
                        + "head has " + head.outputs() + " outputs");
            }
        }
        if (data.targetKind() != want) {
            throw new IllegalArgumentException("the head (" + head + ") needs " + want + " targets but the dataset "
                    + "has " + data.targetKind());
        }
    }

    /** The shuffling seed of an epoch: a function of the run's seed and the epoch only. */
    long epochSeed(int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }

    /** The dropout seed of a step: a function of the run's seed and the step only, so a resumed run repeats it. */
    long stepSeed(long step) {
        return seed * 0xD1B54A32D192ED03L + step;
    }

    /**
     * Scores a model on a dataset, in order, in batches: the head's loss (see {@link Metrics#loss}) and, for
     * classifiers, the fraction of examples (or valid steps) classified right; NaN accuracy for regression.
     *
     * @param model     the model, with a head (any backend that infers)
     * @param data      the dataset
     * @param batchSize examples per forward pass
     * @return loss and accuracy over every example
     */
    public static Evaluation evaluate(Model model, Dataset data, int batchSize) {
        return evaluate(model, data, batchSize, scored -> {
        });
    }

    /**
     * Scores a model on a dataset as {@link #evaluate(Model, Dataset, int)} does, reporting progress: after each
     * batch, {@code progress} gets the number of examples scored so far (the last call gets {@code data.size()}).
     *
     * @param model     the model, with a head (any backend that infers)
     * @param data      the dataset
     * @param batchSize examples per forward pass, at least 1
     * @param progress  called on this thread after each batch
     * @return loss and accuracy over every example
     */
    public static Evaluation evaluate(Model model, Dataset data, int batchSize, IntConsumer progress) {
        Objects.requireNonNull(progress, "progress");
        if (batchSize < 1) {
            throw new IllegalArgumentException("the evaluation batch size must be at least 1 but was " + batchSize);
        }
        Head head = model.network().requireHead();
        checkTargets(head, data);
        boolean classifier = head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY;
        double lossSum = 0;
        long weight = 0;
        long right = 0;
        long counted = 0;
        int scored = 0;
        for (Batch b : data.batches(batchSize)) {
            Forward f = model.forward(b, null);
            long n = 0;
            for (int i = 0; i < b.size(); i++) {
                n += head.target() == Head.Target.EVERY_STEP ? b.length(i) : 1;
            }
            lossSum += Metrics.loss(head, f.logits(), b) * n;
            weight += n;
            if (classifier) {
                long[] c = Metrics.correct(head, f.logits(), b);
                right += c[0];
                counted += c[1];
            }
            scored += b.size();
            progress.accept(scored);
        }
        return new Evaluation(data.size(), lossSum / weight, classifier ? right / (double) counted : Double.NaN);
    }

    /** Builder for {@link Trainer}; {@link #build()} validates. */
    public static final class Builder {
        private Optimizer optimizer = Optimizer.adam(0.001);
        private int batchSize = 128;
        private long examples;
        private int epochs = 1;
        private long seed;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path checkpoint;
        private int checkpointEvery;
        private TruncatedBptt truncation;
        private Dataset validation;
        private ValidationSchedule validationSchedule;
        private int validationBatchSize;

        private Builder() {
        }

        /**
         * Scores {@code validation} with {@link Trainer#evaluate} (the head's loss, and accuracy for classifiers) when
         * the schedule says, in batches of the training batch size, and reports each scoring to the listeners
         * ({@link TrainingListener#onValidation}) and in the history. The scoring runs the model's inference
         * ({@link Model#forward}, without dropout) on the parameters after the step; it changes nothing in the run
         * (no update, no random draw), so a run with validation takes the same steps as one without.
         *
         * @param validation the validation set (same features and targets as the training set; checked before any
         *                   step)
         * @param schedule   when to score
         * @return this
         */
        public Builder validation(Dataset validation, ValidationSchedule schedule) {
            return validation(validation, schedule, 0);
        }

        /**
         * As {@link #validation(Dataset, ValidationSchedule)}, with the evaluation's own batch size (larger batches
         * score faster; the scores do not depend on it beyond rounding).
         *
         * @param validation the validation set
         * @param schedule   when to score
         * @param batchSize  examples per forward pass when scoring, at least 1; 0 for the training batch size
         * @return this
         */
        public Builder validation(Dataset validation, ValidationSchedule schedule, int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("the validation batch size must be at least 1 (or 0 for the "
                        + "training batch size) but was " + batchSize);
            }
            this.validation = Objects.requireNonNull(validation, "validation");
            this.validationSchedule = Objects.requireNonNull(schedule, "schedule");
            this.validationBatchSize = batchSize;
            return this;
        }

        /**
         * Truncated backpropagation through time, as {@link TruncatedBptt} describes: windows of {@code forward}
         * steps, each one update whose gradients reach back {@code backward} steps.
         *
         * @param forward  steps per window, at least 1
         * @param backward steps the gradients reach back, in [1, forward]
         * @return this
         */
        public Builder truncatedBptt(int forward, int backward) {
            return truncatedBptt(new TruncatedBptt(forward, backward));
        }

        /**
         * @param truncation the windows of truncated BPTT, or null to train on whole sequences (the default)
         * @return this
         */
        public Builder truncatedBptt(TruncatedBptt truncation) {
            this.truncation = truncation;
            return this;
        }

        /**
         * Writes a checkpoint (parameters, optimizer state, position in the data) every {@code steps} steps and at the
         * end, atomically replacing the previous one; continue from it with {@link Trainer#resume}.
         *
         * @param steps how often, at least 1
         * @param file  the checkpoint file
         * @return this
         */
        public Builder checkpointEvery(int steps, Path file) {
            if (steps < 1) {
                throw new IllegalArgumentException("checkpoint interval must be at least 1 step but was " + steps);
            }
            this.checkpointEvery = steps;
            this.checkpoint = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * @param optimizer the update rule (default Adam 0.001)
         * @return this
         */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /**
         * @param batchSize examples per step (default 128)
         * @return this
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Budget by examples; replaces an epoch budget.
         *
         * @param examples training examples to consume, at least one batch
         * @return this
         */
        public Builder examples(long examples) {
            if (examples < 1) {
                throw new IllegalArgumentException("the example budget must be positive but was " + examples);
            }
            this.examples = examples;
            return this;
        }

        /**
         * Budget by epochs; replaces an example budget.
         *
         * @param epochs passes over the training set (default 1)
         * @return this
         */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("the epoch budget must be at least 1 but was " + epochs);
            }
            this.epochs = epochs;
            this.examples = 0;
            return this;
        }

        /**
         * @param seed seed of the shuffling (default 0)
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param listener gets the run's events ({@link TrainingListener}), after the listeners added before it
         * @return this
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @return the trainer */
        public Trainer build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
            }
            return new Trainer(this);
        }
    }
}
