package io.github.recurra.api.data;

import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * One batch: inputs {@code [batch, time, features]}, and for training a class label per example. Immutable apart
 * from the tensor's array, which it owns.
 *
 * @param inputs  the sequences, rank 3, all finite
 * @param labels  one class index per example, or null for unlabelled batches
 */
public record Batch(Tensor inputs, int[] labels) {

    /**
     * Validates the shapes.
     *
     * @throws IllegalArgumentException if inputs are not rank 3 or the label count differs from the batch size
     */
    public Batch {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.rank() != 3) {
            throw new IllegalArgumentException("batch inputs must have shape [batch, time, features] but have shape "
                    + inputs.shapeString());
        }
        if (labels != null && labels.length != inputs.dim(0)) {
            throw new IllegalArgumentException("batch has " + inputs.dim(0) + " sequences but " + labels.length
                    + " labels; give one label per sequence");
        }
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
     * @return the labels
     * @throws IllegalStateException if the batch has none
     */
    public int[] requireLabels() {
        if (labels == null) {
            throw new IllegalStateException("this batch has no labels, which training and evaluation need");
        }
        return labels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch && ((Batch) o).inputs.sameShape(inputs)
                && Arrays.equals(((Batch) o).inputs.data(), inputs.data()) && Arrays.equals(((Batch) o).labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputs.data()) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Batch" + inputs.shapeString() + (labels == null ? " unlabelled" : "");
    }
}
