package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.spi.Forward;
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
 * Trains a {@link Model} on any backend with minibatch gradient descent.
 *
 * <p>Each step takes the next {@link #batchSize()} examples of a seeded random permutation of the training set
 * (a new permutation, seeded by the run's seed and the epoch number, when fewer than a batch remain, so every batch is
 * full and an epoch drops its remainder), asks
 * the model's {@link TrainingSession} ({@link Model#openTraining}) for one step (loss, gradients, one optimizer
 * update, which the session applies only if everything is finite) and stops with {@link NonFiniteLossException} if
 * the session refused it. The trainer orchestrates only (data order, steps, listeners, {@link Checkpoint}s); the
 * update happens in the session, on the host or in the backend. With {@link Builder#truncatedBptt} each batch is
 * trained window by window ({@link TruncatedBptt}). The budget is a number of training
 * examples (steps = examples / batch size, rounded down but at least 1, as the TensorFlow tutorial's loop) or of
 * epochs (steps =
 * epochs × (training examples / batch size)). Immutable; build with {@link #builder()}.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Optimizer optimizer;
    private final int batchSize;
    private final long examples;
    private final int epochs;
    private final long seed;
    private final List<TrainingListener> listeners;
    private final Path checkpoint;
    private final int checkpointEvery;
    private final TruncatedBptt truncation;

    private Trainer(Builder b) {
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
     * @return what was done
     * @throws NonFiniteLossException if the loss or gradients become NaN or infinite
     */
    public TrainingResult fit(Model model, Dataset train) {
        Objects.requireNonNull(model, "model");
        return run(model, train, null);
    }

    /**
     * Continues a run from a checkpoint written by this trainer's {@link Builder#checkpointEvery}: restores the
     * parameters, the optimizer's state and the position in the data, then trains to the end of the budget. On the
     * CPU backend the losses are exactly those the uninterrupted run would have had.
     *
     * @param model      a model of the same network the checkpoint was written for
     * @param train      the same training set
     * @param checkpoint the checkpoint file
     * @return what was done over the whole run, including the steps before the checkpoint
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
        return run(model, train, c);
    }

    private static void expect(Path checkpoint, String setting, Object saved, Object mine) {
        if (!saved.equals(mine)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with " + setting + " "
                    + saved + " but this trainer has " + mine + "; resume with the same settings");
        }
    }

    /** Trains from the model's parameters, or from {@code from}'s state and position when resuming. */
    private TrainingResult run(Model model, Dataset train, Checkpoint from) {
        Objects.requireNonNull(train, "train");
        int features = model.network().inputSize();
        if (train.features() != features) {
            throw new IllegalArgumentException("the training set has " + train.features() + " features per step but "
                    + "the network expects " + features);
        }
        Head head = model.network().requireHead();
        checkTargets(head, train);
        if (truncation != null) {
            truncation.check(model.network(), train);
        }
        if (checkpoint != null) {
            Path dir = checkpoint.toAbsolutePath().getParent();
            if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
                throw new IllegalArgumentException("the checkpoint directory " + dir + " does not exist; create it "
                        + "before training");
            }
        }
        long total = steps(train.size());
        long done = from == null ? 0 : from.step();
        int epoch = from == null ? 1 : from.epoch();
        int pos = from == null ? 0 : from.position();
        int[] order = train.permutation(new SplittableRandom(epochSeed(epoch)));
        if (from != null) {
            model.setParameters(from.parameters());
        }
        try (TrainingSession session = model.openTraining(optimizer)) {
            if (from != null) {
                session.restore(from.slots(), from.updates());
            }
            LOG.debug("training {} on backend '{}': steps {}..{} of batch {}, {}, seed {}{}{}", model.network(),
                    model.backend(), done + 1, total, batchSize, optimizer, seed,
                    truncation == null ? "" : ", truncated BPTT " + truncation,
                    checkpoint == null ? "" : ", checkpoint every " + checkpointEvery + " steps to " + checkpoint);
            listeners.forEach(l -> l.onStart(total));
            long t0 = System.nanoTime();
            double lastLoss = Double.NaN;
            int[] idx = new int[batchSize];
            for (long step = done + 1; step <= total; step++) {
                long s0 = System.nanoTime();
                if (pos + batchSize > order.length) {
                    epoch++;
                    order = train.permutation(new SplittableRandom(epochSeed(epoch)));
                    pos = 0;
                }
                System.arraycopy(order, pos, idx, 0, batchSize);
                pos += batchSize;
                Batch batch = train.batch(idx);
                double loss;
                double accuracy;
                double norm;
                if (truncation != null) {
                    TruncatedBptt.Outcome o = truncation.train(session, batch, stepSeed(step));
                    if (!o.applied()) {
                        throw new NonFiniteLossException(step, o.loss(), o.gradientNorm(), optimizer.toString());
                    }
                    loss = o.loss();
                    accuracy = o.accuracy();
                    norm = o.gradientNorm();
                } else {
                    TrainingStep s = session.step(batch, null, stepSeed(step));
                    if (!s.applied()) {
                        throw new NonFiniteLossException(step, s.loss(), s.gradientNorm(), optimizer.toString());
                    }
                    loss = s.loss();
                    accuracy = Metrics.accuracy(head, s.logits(), batch);
                    norm = s.gradientNorm();
                }
                lastLoss = loss;
                StepReport report = new StepReport(step, total, step * batchSize, epoch, loss, accuracy, norm,
                        System.nanoTime() - s0);
                listeners.forEach(l -> l.onStep(report));
                if (checkpoint != null && (step % checkpointEvery == 0 || step == total)) {
                    new Checkpoint(model.network(), model.parameters(), optimizer, session.slots(), session.updates(),
                            step, epoch, pos, batchSize, seed, truncation, loss).save(checkpoint);
                }
            }
            TrainingResult result = new TrainingResult(total, total * batchSize, epoch, lastLoss,
                    (System.nanoTime() - t0) / 1e9, TrainingHistory.empty(), null);
            LOG.debug("trained {} steps ({} examples, {} epochs) in {} s, last loss {}", total - done,
                    (total - done) * batchSize, epoch, result.seconds(), lastLoss);
            listeners.forEach(l -> l.onEnd(result));
            return result;
        }
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
    private long epochSeed(int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }

    /** The dropout seed of a step: a function of the run's seed and the step only, so a resumed run repeats it. */
    private long stepSeed(long step) {
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
        Head head = model.network().requireHead();
        checkTargets(head, data);
        boolean classifier = head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY;
        double lossSum = 0;
        long weight = 0;
        long right = 0;
        long counted = 0;
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

        private Builder() {
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
         * @param listener called at each step
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
