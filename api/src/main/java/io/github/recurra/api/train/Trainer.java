package io.github.recurra.api.train;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.data.Dataset;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.spi.Forward;
import io.github.recurra.api.spi.LossAndGradients;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.spi.States;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.tensor.Tensor;
import io.github.recurra.api.io.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a {@link Model} on any backend with minibatch gradient descent.
 *
 * <p>Each step takes the next {@link #batchSize()} examples of a seeded random permutation of the training set
 * (a new permutation, seeded by the run's seed and the epoch number, when fewer than a batch remain, so every batch is
 * full and an epoch drops its remainder), asks
 * the backend for the loss and gradients, stops with {@link NonFiniteLossException} if either is not finite, and
 * otherwise applies the optimizer and writes the new parameters into the model. The budget is a number of training
 * examples (steps = examples / batch size, rounded down but at least 1, as the TensorFlow tutorial's loop) or of
 * epochs (steps =
 * epochs × (training examples / batch size)). Immutable; build with {@link #builder()}.
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
    private final int forwardWindow;
    private final int backwardWindow;

    private Trainer(Builder b) {
        this.forwardWindow = b.forwardWindow;
        this.backwardWindow = b.backwardWindow;
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
        return run(model, train, model.parameters(), null, 0, 0, 1, 0);
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
     * @throws IllegalArgumentException if the checkpoint is damaged, was written for another network, or with another
     *     optimizer (as its toString describes it), batch size, seed or truncation windows
     */
    public TrainingResult resume(Model model, Dataset train, Path checkpoint) {
        ModelFile file = ModelFile.load(checkpoint);
        if (!file.network().equals(model.network())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written for another network: "
                    + file.network() + "; this model is " + model.network());
        }
        if (!file.has("trainer") || !file.has("optimizer")) {
            throw new IllegalArgumentException("model file " + checkpoint + " is not a training checkpoint (it has no "
                    + "optimizer state or progress); load it with ModelFile.load for inference");
        }
        Map<String, String> progress = file.text("trainer");
        String opt = optimizer.getClass().getSimpleName();
        if (!opt.equals(progress.get("optimizer"))) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written by a " + progress.get("optimizer")
                    + " optimizer but this trainer uses " + opt);
        }
        if (Integer.parseInt(progress.get("batchSize")) != batchSize) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with batch size "
                    + progress.get("batchSize") + " but this trainer uses " + batchSize);
        }
        expect(checkpoint, "seed", Long.toString(seed), progress);
        expect(checkpoint, "optimizerSpec", optimizer.toString(), progress);
        expect(checkpoint, "windows", forwardWindow + "/" + backwardWindow, progress);
        long step = Long.parseLong(progress.get("step"));
        return run(model, train, file.parameters(), file.tensors("optimizer"), step,
                Long.parseLong(progress.get("updates")), Integer.parseInt(progress.get("epoch")),
                Integer.parseInt(progress.get("position")));
    }

    private static void expect(Path checkpoint, String key, String mine, Map<String, String> saved) {
        if (!mine.equals(saved.get(key))) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with " + key + " "
                    + saved.get(key) + " but this trainer has " + mine + "; resume with the same settings");
        }
    }

    private TrainingResult run(Model model, Dataset train, Parameters params, Parameters slots, long done,
            long updates, int startEpoch, int startPos) {
        Objects.requireNonNull(train, "train");
        int features = model.network().inputSize();
        if (train.features() != features) {
            throw new IllegalArgumentException("the training set has " + train.features() + " features per step but "
                    + "the network expects " + features);
        }
        checkTargets(model.network().requireHead(), train);
        checkTruncation(model.network(), train);
        if (checkpoint != null) {
            Path dir = checkpoint.toAbsolutePath().getParent();
            if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
                throw new IllegalArgumentException("the checkpoint directory " + dir + " does not exist; create it "
                        + "before training");
            }
        }
        long total = steps(train.size());
        int epoch = startEpoch;
        int[] order = train.permutation(new SplittableRandom(epochSeed(epoch)));
        int pos = startPos;
        OptimizerState state = optimizer.newState(params);
        if (slots != null) {
            state.restore(slots, updates);
            model.setParameters(params);
        }
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
            double[] outcome = forwardWindow > 0 ? truncated(model, batch, state, params, step)
                    : update(model, batch, null, state, params, step, stepSeed(step), null);
            lastLoss = outcome[0];
            StepReport report = new StepReport(step, total, step * batchSize, epoch, outcome[0], outcome[1],
                    outcome[2], System.nanoTime() - s0);
            listeners.forEach(l -> l.onStep(report));
            if (checkpoint != null && (step % checkpointEvery == 0 || step == total)) {
                Map<String, String> progress = new LinkedHashMap<>();
                progress.put("step", Long.toString(step));
                progress.put("epoch", Integer.toString(epoch));
                progress.put("position", Integer.toString(pos));
                progress.put("batchSize", Integer.toString(batchSize));
                progress.put("optimizer", optimizer.getClass().getSimpleName());
                progress.put("loss", Double.toString(outcome[0]));
                progress.put("updates", Long.toString(state.step()));
                progress.put("seed", Long.toString(seed));
                progress.put("optimizerSpec", optimizer.toString());
                progress.put("windows", forwardWindow + "/" + backwardWindow);
                ModelFile.of(model.network(), params).withTensors("optimizer", state.slots())
                        .withText("trainer", progress).save(checkpoint);
            }
        }
        TrainingResult result = new TrainingResult(total, total * batchSize, epoch, lastLoss,
                (System.nanoTime() - t0) / 1e9);
        listeners.forEach(l -> l.onEnd(result));
        return result;
    }

    /**
     * One optimizer update on a batch from the given initial states.
     *
     * @param carry if not null, receives the final states
     * @return {loss, accuracy, gradient norm}
     */
    private double[] update(Model model, Batch batch, States initial, OptimizerState state, Parameters params,
            long step, long seed, States[] carry) {
        LossAndGradients lg = model.lossAndGradients(batch, initial, seed);
        double norm = Clipping.globalNormOf(lg.gradients());
        if (!Double.isFinite(lg.loss()) || !Double.isFinite(norm)) {
            throw new NonFiniteLossException(step, lg.loss(), norm, optimizer.toString());
        }
        state.update(params, lg.gradients());
        // checked before the model sees them: on failure the model keeps the last good parameters (this run's copy
        // and optimizer state are discarded with the exception)
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            if (e.getValue().firstNonFinite() >= 0) {
                throw new NonFiniteLossException(step, lg.loss(), norm, optimizer.toString());
            }
        }
        model.setParameters(params);
        if (carry != null) {
            carry[0] = lg.finalStates();
        }
        return new double[] {lg.loss(), accuracy(model.network().requireHead(), lg.logits(), batch), norm};
    }

    /**
     * Truncated backpropagation through time on one batch: windows of {@code forwardWindow} steps, each one update
     * whose gradients reach back {@code backwardWindow} steps, the state carried from window to window.
     *
     * @return the mean over the updates of {loss, accuracy, gradient norm}
     */
    private double[] truncated(Model model, Batch batch, OptimizerState state, Parameters params, long step) {
        Head head = model.network().requireHead();
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        if (batch.lengths() != null && !perStep) {
            throw new IllegalArgumentException("truncated BPTT with per-example lengths needs a per-step head: a "
                    + "last-step head would put each example's loss in a different window");
        }
        int time = batch.timeSteps();
        States carried = Windows.zeroStates(model.network(), batch.size());
        SplittableRandom windowSeeds = new SplittableRandom(stepSeed(step));
        double[] sum = new double[3];
        int updates = 0;
        for (int start = 0, w = 0; start < time; start += forwardWindow, w++) {
            int end = Math.min(time, start + forwardWindow);
            int back = Math.max(start, end - backwardWindow);
            if (back > start) {
                int[] rows = Windows.activeRows(batch, start);
                if (rows.length > 0) {
                    Batch prefix = Windows.slice(batch, rows, start, back);
                    States out = model.forwardTraining(prefix, Windows.gather(carried, rows), windowSeeds.nextLong())
                            .finalStates();
                    Windows.scatter(out, rows, carried);
                }
            }
            int[] rows = Windows.activeRows(batch, back);
            if (rows.length == 0) {
                continue;
            }
            Batch window = Windows.slice(batch, rows, back, end);
            States initial = Windows.gather(carried, rows);
            if (perStep || end == time) {
                States[] carry = new States[1];
                double[] r = update(model, window, initial, state, params, step, windowSeeds.nextLong(), carry);
                Windows.scatter(carry[0], rows, carried);
                for (int i = 0; i < 3; i++) {
                    sum[i] += r[i];
                }
                updates++;
            } else {
                Windows.scatter(model.forwardTraining(window, initial, windowSeeds.nextLong()).finalStates(), rows,
                        carried);
            }
        }
        for (int i = 0; i < 3; i++) {
            sum[i] /= Math.max(1, updates);
        }
        return sum;
    }

    /** Fails before any work if truncated BPTT cannot train this network on this data. */
    private void checkTruncation(Network network, Dataset data) {
        if (forwardWindow == 0) {
            return;
        }
        for (int k = 0; k < network.layers().size(); k++) {
            if (network.layers().get(k).direction() != Direction.FORWARD) {
                throw new IllegalArgumentException("truncated BPTT carries states forwards from window to window, "
                        + "but layer " + k + " is " + network.layers().get(k).direction().onnxName()
                        + "; train it on whole sequences");
            }
        }
        if (data.hasLengths() && network.requireHead().target() != Head.Target.EVERY_STEP) {
            throw new IllegalArgumentException("truncated BPTT with per-example lengths needs a per-step head: a "
                    + "last-step head would put each example's loss in a different window");
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

    private static double accuracy(Head head, Tensor logits, Batch batch) {
        if (head.loss() != Head.Loss.SOFTMAX_CROSS_ENTROPY) {
            return Double.NaN;
        }
        long[] c = Metrics.correct(head, logits, batch);
        return c[0] / (double) c[1];
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
        private int forwardWindow;
        private int backwardWindow;

        private Builder() {
        }

        /**
         * Truncated backpropagation through time: each batch is cut into windows of {@code forward} steps; each window
         * is one optimizer update whose gradients reach back only its last {@code backward} steps (its first
         * {@code forward − backward} steps run forwards only), and the state at the end of a window is carried into
         * the next as a constant. Every layer must read forwards. The forward-only steps (the start of a window, and
         * for a last-step head every window but the last) run in training mode, with dropout. A per-step head is trained on the steps of each backward window; a last-step head
         * only in the last window. With per-example lengths (per-step heads only), a window holds the examples that
         * still have steps in it, with their lengths cut to the window.
         *
         * @param forward  steps per window, at least 1
         * @param backward steps the gradients reach back, in [1, forward]
         * @return this
         */
        public Builder truncatedBptt(int forward, int backward) {
            if (forward < 1 || backward < 1 || backward > forward) {
                throw new IllegalArgumentException("truncated BPTT needs 1 <= backward <= forward but was forward "
                        + forward + ", backward " + backward);
            }
            this.forwardWindow = forward;
            this.backwardWindow = backward;
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
