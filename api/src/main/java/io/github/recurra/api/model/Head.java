package io.github.recurra.api.model;

import io.github.recurra.api.tensor.Ops;
import io.github.recurra.api.tensor.Tensor;
import java.util.Objects;

/**
 * The output layer of a network: a dense layer {@code y = x W<sup>T</sup> + b} from the last recurrent layer's output
 * to {@link #outputs()} values, read at the last step or at every step, and the loss that trains it.
 *
 * <p>For {@link Loss#SOFTMAX_CROSS_ENTROPY}: p = softmax(y), loss = mean over examples of −log p[label]; the
 * predictions are p. For {@link Loss#MEAN_SQUARED_ERROR}: loss = mean over examples and outputs of (y − target)².
 */
public final class Head {

    /** Which steps the head reads. */
    public enum Target {
        /** Only each sequence's last step: one prediction per example. */
        LAST_STEP,
        /** Every step: one prediction per example and step. */
        EVERY_STEP
    }

    /** The training loss. */
    public enum Loss {
        /** Softmax over the outputs, then the negative log-likelihood of the label. */
        SOFTMAX_CROSS_ENTROPY,
        /** Squared error against real-valued targets. */
        MEAN_SQUARED_ERROR
    }

    private final int outputs;
    private final Target target;
    private final Loss loss;

    private Head(int outputs, Target target, Loss loss) {
        if (outputs < 1) {
            throw new IllegalArgumentException("a head needs at least 1 output but was given " + outputs);
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && outputs < 2) {
            throw new IllegalArgumentException("a softmax classifier needs at least 2 classes but was given "
                    + outputs);
        }
        this.outputs = outputs;
        this.target = Objects.requireNonNull(target, "target");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /**
     * @param classes number of classes, at least 2
     * @return a last-step softmax classifier
     */
    public static Head classifier(int classes) {
        return new Head(classes, Target.LAST_STEP, Loss.SOFTMAX_CROSS_ENTROPY);
    }

    /**
     * @param outputs number of outputs
     * @param target  which steps are read
     * @param loss    the loss
     * @return the head
     */
    public static Head of(int outputs, Target target, Loss loss) {
        return new Head(outputs, target, loss);
    }

    /** @return classes or regression outputs */
    public int outputs() {
        return outputs;
    }

    /** @return which steps are read */
    public Target target() {
        return target;
    }

    /** @return the loss */
    public Loss loss() {
        return loss;
    }

    /**
     * The predictions of a forward pass: softmax over the last axis for a classifier, the logits themselves (a copy)
     * for a regressor.
     *
     * @param logits the head's outputs, {@code [..., outputs]}
     * @return a new tensor of the same shape
     */
    public Tensor predictions(Tensor logits) {
        Tensor p = logits.copy();
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            Ops.softmaxRows(logits.data(), logits.size() / outputs, outputs, p.data());
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Head && ((Head) o).outputs == outputs && ((Head) o).target == target
                && ((Head) o).loss == loss;
    }

    @Override
    public int hashCode() {
        return Objects.hash(outputs, target, loss);
    }

    @Override
    public String toString() {
        return "Head{outputs=" + outputs + ", " + target + ", " + loss + "}";
    }
}
