package io.github.recurra.api.data;

import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * One batch: inputs {@code [batch, time, features]}, optional per-example lengths, and what training compares the
 * network's outputs with. Immutable apart from the arrays, which it owns.
 *
 * <p>Targets depend on the head: a last-step classifier takes one class per example ({@code labels} of length batch);
 * a per-step classifier one class per example and step ({@code labels} of length batch × time, row-major); a
 * regression head takes {@code targets} of shape {@code [batch, outputs]} (last step) or
 * {@code [batch, time, outputs]} (every step). Steps at or past an example's length are ignored by every loss.
 *
 * @param inputs  the sequences, rank 3
 * @param labels  class indices, or null
 * @param targets regression targets, or null
 * @param lengths valid steps per example, each in [1, time], or null when every example uses all steps
 */
public record Batch(Tensor inputs, int[] labels, Tensor targets, int[] lengths) {

    /**
     * Validates the shapes.
     *
     * @param inputs  the sequences, rank 3
     * @param labels  class indices, or null
     * @param targets regression targets, or null
     * @param lengths valid steps per example, each in [1, time], or null when every example uses all steps
     * @throws IllegalArgumentException if inputs are not rank 3, the label count fits neither one per example nor
     *     one per step, the targets' leading axis differs from the batch, or a length is outside [1, time]
     */
    public Batch {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.rank() != 3) {
            throw new IllegalArgumentException("batch inputs must have shape [batch, time, features] but have shape "
                    + inputs.shapeString());
        }
        int b = inputs.dim(0);
        int t = inputs.dim(1);
        if (labels != null && labels.length != b && labels.length != b * t) {
            throw new IllegalArgumentException("batch has " + b + " sequences of " + t + " steps but " + labels.length
                    + " labels; give one label per sequence (" + b + ") or one per step (" + b * t + ")");
        }
        if (targets != null && (targets.rank() < 2 || targets.rank() > 3 || targets.dim(0) != b
                || (targets.rank() == 3 && targets.dim(1) != t))) {
            throw new IllegalArgumentException("targets have shape " + targets.shapeString() + " but [" + b
                    + ", outputs] or [" + b + ", " + t + ", outputs] is needed for this batch");
        }
        if (lengths != null) {
            checkLengths(lengths, b, t);
        }
    }

    /**
     * Checks per-example lengths against a batch's shape (a {@link Batch} does when built; a backend that copies the
     * lengths checks its copy again, since the array can change after).
     *
     * @param lengths one length per sequence
     * @param batch   sequences in the batch
     * @param time    steps in the batch
     * @throws IllegalArgumentException if there are not {@code batch} lengths or one is outside [1, time]
     */
    public static void checkLengths(int[] lengths, int batch, int time) {
        if (lengths.length != batch) {
            throw new IllegalArgumentException("batch has " + batch + " sequences but " + lengths.length
                    + " lengths; give one length per sequence");
        }
        for (int i = 0; i < batch; i++) {
            if (lengths[i] < 1 || lengths[i] > time) {
                throw new IllegalArgumentException("length " + lengths[i] + " of example " + i + " is outside [1, "
                        + time + "]: the batch has " + time + " steps; pad shorter sequences and give their true "
                        + "length");
            }
        }
    }

    /**
     * A batch of inputs with one class per example (or per step) and no lengths.
     *
     * @param inputs the sequences
     * @param labels class indices, or null
     */
    public Batch(Tensor inputs, int[] labels) {
        this(inputs, labels, null, null);
    }

    /**
     * @param lengths valid steps per example
     * @return this batch with those lengths
     */
    public Batch withLengths(int[] lengths) {
        return new Batch(inputs, labels, targets, lengths);
    }

    /** @return examples in the batch */
    public int size() {
        return inputs.dim(0);
    }

    /** @return time steps */
    public int timeSteps() {
        return inputs.dim(1);
    }

    /** @return features per step */
    public int features() {
        return inputs.dim(2);
    }

    /**
     * @param example an example
     * @return its number of valid steps
     */
    public int length(int example) {
        return lengths == null ? timeSteps() : lengths[example];
    }

    /**
     * @return the labels
     * @throws IllegalArgumentException if the batch has none
     */
    public int[] requireLabels() {
        if (labels == null) {
            throw new IllegalArgumentException("this batch has no labels, which a classifier head needs for training "
                    + "and evaluation; build it with new Batch(inputs, labels)");
        }
        return labels;
    }

    /**
     * @return the regression targets
     * @throws IllegalArgumentException if the batch has none
     */
    public Tensor requireTargets() {
        if (targets == null) {
            throw new IllegalArgumentException("this batch has no targets, which a regression head needs for training "
                    + "and evaluation; build it with new Batch(inputs, null, targets, lengths)");
        }
        return targets;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Batch)) {
            return false;
        }
        Batch other = (Batch) o;
        return other.inputs.sameShape(inputs) && Arrays.equals(other.inputs.data(), inputs.data())
                && Arrays.equals(other.labels, labels) && Arrays.equals(other.lengths, lengths)
                && (targets == null ? other.targets == null
                        : other.targets != null && Arrays.equals(targets.data(), other.targets.data()));
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(inputs.data()) + Arrays.hashCode(labels)) + Arrays.hashCode(lengths);
    }

    @Override
    public String toString() {
        return "Batch" + inputs.shapeString() + (labels == null ? "" : " labels " + labels.length)
                + (targets == null ? "" : " targets " + targets.shapeString()) + (lengths == null ? "" : " with lengths");
    }
}
