package io.github.recurra.api.data;

import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A finite, indexable collection of labelled sequences of equal length. Implementations are immutable and safe to
 * read from several threads.
 *
 * <p>Create one in memory with {@link #of(float[], int[], int, int, int)}, or read one with {@link Mnist}.
 */
public interface Dataset {

    /** What a dataset's examples are labelled with. */
    enum TargetKind {
        /** One class per example: {@link #label(int)}. */
        CLASS,
        /** One class per step: {@link #copyLabels(int, int[], int)}. */
        CLASS_PER_STEP,
        /** {@link #targetSize()} real values per example: {@link #copyTargets(int, float[], int)}. */
        VALUES,
        /** {@link #targetSize()} real values per step: {@link #copyTargets(int, float[], int)}. */
        VALUES_PER_STEP
    }

    /** @return number of examples, at least 1 */
    int size();

    /** @return time steps per example */
    int timeSteps();

    /** @return features per time step */
    int features();

    /** @return number of classes (labels are in [0, classes)), or 0 for a dataset of real-valued targets */
    int classes();

    /** @return what the examples are labelled with (default one class per example) */
    default TargetKind targetKind() {
        return TargetKind.CLASS;
    }

    /** @return real values per example or per step for {@link TargetKind#VALUES} kinds, else 0 */
    default int targetSize() {
        return 0;
    }

    /**
     * @param index an example
     * @return its number of valid steps, in [1, timeSteps()] (default all)
     */
    default int length(int index) {
        return timeSteps();
    }

    /** @return whether examples have lengths of their own (then batches carry lengths) */
    default boolean hasLengths() {
        return false;
    }

    /**
     * Copies example {@code index}'s per-step classes ({@link TargetKind#CLASS_PER_STEP}), {@code timeSteps()} values.
     *
     * @param index  the example
     * @param dst    the destination
     * @param offset where to start writing
     */
    default void copyLabels(int index, int[] dst, int offset) {
        throw new UnsupportedOperationException("this dataset has no per-step labels; its targets are " + targetKind());
    }

    /**
     * Copies example {@code index}'s real-valued targets: {@code targetSize()} values, or {@code timeSteps() ×
     * targetSize()} for {@link TargetKind#VALUES_PER_STEP}.
     *
     * @param index  the example
     * @param dst    the destination
     * @param offset where to start writing
     */
    default void copyTargets(int index, float[] dst, int offset) {
        throw new UnsupportedOperationException("this dataset has no real-valued targets; its targets are "
                + targetKind());
    }

    /**
     * Copies example {@code index}'s inputs, {@code timeSteps() × features()} values in row-major order.
     *
     * @param index  the example, in [0, size())
     * @param dst    the destination
     * @param offset where to start writing
     */
    void copyInputs(int index, float[] dst, int offset);

    /**
     * @param index the example
     * @return its class ({@link TargetKind#CLASS})
     */
    default int label(int index) {
        throw new UnsupportedOperationException("this dataset has no per-example class; its targets are "
                + targetKind());
    }

    /**
     * Gathers examples into a batch, in the given order.
     *
     * @param indices example indices
     * @return a new batch
     */
    default Batch batch(int[] indices) {
        int n = indices.length;
        int steps = timeSteps();
        int per = steps * features();
        float[] x = new float[n * per];
        for (int i = 0; i < n; i++) {
            copyInputs(indices[i], x, i * per);
        }
        int[] labels = null;
        Tensor targets = null;
        switch (targetKind()) {
            case CLASS:
                labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = label(indices[i]);
                }
                break;
            case CLASS_PER_STEP:
                labels = new int[n * steps];
                for (int i = 0; i < n; i++) {
                    copyLabels(indices[i], labels, i * steps);
                }
                break;
            case VALUES:
                targets = Tensor.zeros(n, targetSize());
                for (int i = 0; i < n; i++) {
                    copyTargets(indices[i], targets.data(), i * targetSize());
                }
                break;
            default:
                targets = Tensor.zeros(n, steps, targetSize());
                for (int i = 0; i < n; i++) {
                    copyTargets(indices[i], targets.data(), i * steps * targetSize());
                }
        }
        int[] lengths = null;
        if (hasLengths()) {
            lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = length(indices[i]);
            }
        }
        return new Batch(Tensor.wrap(x, n, steps, features()), labels, targets, lengths);
    }

    /**
     * Batches in index order; the last may be smaller.
     *
     * @param batchSize examples per batch, at least 1
     * @return an iterable that can be traversed several times
     */
    default Iterable<Batch> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(batchSize, size() - next);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = next + i;
                }
                next += n;
                return batch(idx);
            }
        };
    }

    /**
     * A view of examples [from, to).
     *
     * @param from first index, inclusive
     * @param to   last index, exclusive
     * @return the view
     */
    default Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is empty or outside [0, " + size()
                    + ")");
        }
        return new Slice(this, from, to);
    }

    /**
     * Splits off the last {@code count} examples, for example as a validation set.
     *
     * @param count examples in the second part, in [1, size())
     * @return the first {@code size() − count} examples and the last {@code count}
     */
    default List<Dataset> splitLast(int count) {
        if (count < 1 || count >= size()) {
            throw new IllegalArgumentException("cannot split " + count + " examples off a dataset of " + size()
                    + "; both parts need at least one example");
        }
        List<Dataset> parts = new ArrayList<>(2);
        parts.add(slice(0, size() - count));
        parts.add(slice(size() - count, size()));
        return parts;
    }

    /**
     * A seeded random permutation of the indices (Fisher-Yates over {@link SplittableRandom}).
     *
     * @param random the generator, advanced
     * @return a permutation of [0, size())
     */
    default int[] permutation(SplittableRandom random) {
        int[] p = new int[size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * A view of this dataset whose examples have lengths of their own: {@code lengthOf.applyAsInt(i)} valid steps for
     * example i (the rest are padding that networks skip).
     *
     * @param lengthOf the length of each example, in [1, timeSteps()]
     * @return the view
     */
    default Dataset withLengths(java.util.function.IntUnaryOperator lengthOf) {
        return new WithLengths(this, lengthOf);
    }

    /**
     * An in-memory dataset of one class per example over the given arrays (not copied: do not modify them
     * afterwards). See {@link #builder} for per-step classes, real-valued targets and lengths.
     *
     * @param inputs    {@code size × timeSteps × features} values, row-major, all finite
     * @param labels    one class per example, each in [0, classes)
     * @param timeSteps steps per example
     * @param features  features per step
     * @param classes   number of classes
     * @return the dataset
     * @throws IllegalArgumentException if it is empty, the sizes disagree, a value is not finite or a label is out of
     *     range
     */
    static Dataset of(float[] inputs, int[] labels, int timeSteps, int features, int classes) {
        return builder(timeSteps, features).inputs(inputs).labels(labels, classes).build();
    }

    /**
     * A builder of an in-memory dataset.
     *
     * @param timeSteps steps per example, at least 1
     * @param features  features per step, at least 1
     * @return the builder
     */
    static Builder builder(int timeSteps, int features) {
        return new Builder(timeSteps, features);
    }

    /**
     * Builds an in-memory dataset: inputs, exactly one kind of targets, optional lengths. The arrays are not copied.
     * {@link #build()} validates sizes, finiteness and label ranges, naming the first offending example.
     */
    final class Builder {
        final int timeSteps;
        final int features;
        float[] inputs;
        TargetKind kind;
        int[] labels;
        int classes;
        float[] targets;
        int targetSize;
        int[] lengths;

        private Builder(int timeSteps, int features) {
            if (timeSteps < 1 || features < 1) {
                throw new IllegalArgumentException("time steps and features must be at least 1 but were " + timeSteps
                        + " and " + features);
            }
            this.timeSteps = timeSteps;
            this.features = features;
        }

        /**
         * @param inputs {@code size × timeSteps × features} values, row-major
         * @return this
         */
        public Builder inputs(float[] inputs) {
            this.inputs = java.util.Objects.requireNonNull(inputs, "inputs");
            return this;
        }

        /**
         * @param labels  one class per example
         * @param classes number of classes, at least 2
         * @return this
         */
        public Builder labels(int[] labels, int classes) {
            return target(TargetKind.CLASS, labels, classes, null, 0);
        }

        /**
         * @param labels  one class per example and step ({@code size × timeSteps}, row-major)
         * @param classes number of classes, at least 2
         * @return this
         */
        public Builder stepLabels(int[] labels, int classes) {
            return target(TargetKind.CLASS_PER_STEP, labels, classes, null, 0);
        }

        /**
         * @param targets {@code size × outputs} values
         * @param outputs values per example
         * @return this
         */
        public Builder targets(float[] targets, int outputs) {
            return target(TargetKind.VALUES, null, 0, targets, outputs);
        }

        /**
         * @param targets {@code size × timeSteps × outputs} values
         * @param outputs values per step
         * @return this
         */
        public Builder stepTargets(float[] targets, int outputs) {
            return target(TargetKind.VALUES_PER_STEP, null, 0, targets, outputs);
        }

        /**
         * @param lengths valid steps per example, each in [1, timeSteps]
         * @return this
         */
        public Builder lengths(int[] lengths) {
            this.lengths = java.util.Objects.requireNonNull(lengths, "lengths");
            return this;
        }

        private Builder target(TargetKind k, int[] l, int c, float[] t, int size) {
            if (kind != null) {
                throw new IllegalStateException("targets were already set as " + kind + "; a dataset has one kind");
            }
            this.kind = k;
            this.labels = l;
            this.classes = c;
            this.targets = t;
            this.targetSize = size;
            return this;
        }

        /** @return the dataset */
        public Dataset build() {
            if (inputs == null || kind == null) {
                throw new IllegalStateException("a dataset needs inputs and targets; call inputs(...) and one of "
                        + "labels, stepLabels, targets or stepTargets");
            }
            long per = (long) timeSteps * features;
            if (inputs.length == 0) {
                throw new IllegalArgumentException("the dataset is empty: it has no examples; check the data source");
            }
            if (inputs.length % per != 0) {
                throw new IllegalArgumentException("inputs have " + inputs.length + " values, which is not a whole "
                        + "number of examples of " + timeSteps + " steps x " + features + " features");
            }
            int n = (int) (inputs.length / per);
            for (int i = 0; i < inputs.length; i++) {
                if (!Float.isFinite(inputs[i])) {
                    throw new IllegalArgumentException("input value " + inputs[i] + " of example " + (i / per)
                            + " (step " + (i % per) / features + ", feature " + (i % features)
                            + ") is not finite; clean or impute the data first");
                }
            }
            if (kind == TargetKind.CLASS || kind == TargetKind.CLASS_PER_STEP) {
                if (classes < 2) {
                    throw new IllegalArgumentException("a classification dataset needs at least 2 classes but was "
                            + "given " + classes);
                }
                int want = kind == TargetKind.CLASS ? n : n * timeSteps;
                if (labels.length != want) {
                    throw new IllegalArgumentException("inputs have " + n + " examples but there are " + labels.length
                            + " labels; " + want + " are needed");
                }
                for (int i = 0; i < labels.length; i++) {
                    boolean padding = kind == TargetKind.CLASS_PER_STEP && lengths != null
                            && i / timeSteps < lengths.length && i % timeSteps >= lengths[i / timeSteps];
                    if (!padding && (labels[i] < 0 || labels[i] >= classes)) {
                        throw new IllegalArgumentException("label " + labels[i] + " of example "
                                + (kind == TargetKind.CLASS ? i : i / timeSteps) + " is outside [0, " + classes + ")");
                    }
                }
            } else {
                if (targetSize < 1) {
                    throw new IllegalArgumentException("targets need at least 1 value per " + (kind
                            == TargetKind.VALUES ? "example" : "step") + " but were given " + targetSize);
                }
                long want = (long) n * targetSize * (kind == TargetKind.VALUES ? 1 : timeSteps);
                if (targets.length != want) {
                    throw new IllegalArgumentException("inputs have " + n + " examples but there are "
                            + targets.length + " target values; " + want + " are needed");
                }
                for (int i = 0; i < targets.length; i++) {
                    if (!Float.isFinite(targets[i])) {
                        throw new IllegalArgumentException("target value " + targets[i] + " at index " + i
                                + " is not finite");
                    }
                }
            }
            if (lengths != null) {
                if (lengths.length != n) {
                    throw new IllegalArgumentException("inputs have " + n + " examples but there are "
                            + lengths.length + " lengths");
                }
                for (int i = 0; i < n; i++) {
                    if (lengths[i] < 1 || lengths[i] > timeSteps) {
                        throw new IllegalArgumentException("length " + lengths[i] + " of example " + i
                                + " is outside [1, " + timeSteps + "]");
                    }
                }
            }
            return new ArrayDataset(this);
        }
    }

    /**
     * A dataset that reads another one: every method forwards to the base dataset, with example indices mapped by
     * {@link #map(int)}. Subclasses change what differs.
     */
    abstract class View implements Dataset {
        /** The dataset read. */
        protected final Dataset base;

        /**
         * @param base the dataset read
         */
        protected View(Dataset base) {
            this.base = java.util.Objects.requireNonNull(base, "base");
        }

        /**
         * @param index an index into this view
         * @return the base dataset's index of that example (identity by default)
         */
        protected int map(int index) {
            return index;
        }

        @Override
        public int size() {
            return base.size();
        }

        @Override
        public int timeSteps() {
            return base.timeSteps();
        }

        @Override
        public int features() {
            return base.features();
        }

        @Override
        public int classes() {
            return base.classes();
        }

        @Override
        public TargetKind targetKind() {
            return base.targetKind();
        }

        @Override
        public int targetSize() {
            return base.targetSize();
        }

        @Override
        public boolean hasLengths() {
            return base.hasLengths();
        }

        @Override
        public int length(int index) {
            return base.length(map(index));
        }

        @Override
        public void copyInputs(int index, float[] dst, int offset) {
            base.copyInputs(map(index), dst, offset);
        }

        @Override
        public int label(int index) {
            return base.label(map(index));
        }

        @Override
        public void copyLabels(int index, int[] dst, int offset) {
            base.copyLabels(map(index), dst, offset);
        }

        @Override
        public void copyTargets(int index, float[] dst, int offset) {
            base.copyTargets(map(index), dst, offset);
        }
    }

    /** A view that adds per-example lengths. */
    final class WithLengths extends View {
        private final java.util.function.IntUnaryOperator lengthOf;

        private WithLengths(Dataset base, java.util.function.IntUnaryOperator lengthOf) {
            super(base);
            this.lengthOf = java.util.Objects.requireNonNull(lengthOf, "lengthOf");
        }

        @Override
        public boolean hasLengths() {
            return true;
        }

        @Override
        public int length(int index) {
            int len = lengthOf.applyAsInt(index);
            if (len < 1 || len > timeSteps()) {
                throw new IllegalArgumentException("length " + len + " of example " + index + " is outside [1, "
                        + timeSteps() + "]");
            }
            return len;
        }
    }

    /** A contiguous view. */
    final class Slice extends View {
        private final int from;
        private final int to;

        private Slice(Dataset base, int from, int to) {
            super(base);
            this.from = from;
            this.to = to;
        }

        @Override
        public int size() {
            return to - from;
        }

        @Override
        protected int map(int index) {
            if (index < 0 || index >= size()) {
                throw new IndexOutOfBoundsException("example " + index + " outside [0, " + size() + ")");
            }
            return from + index;
        }
    }
}
