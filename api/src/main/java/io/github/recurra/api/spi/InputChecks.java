package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Head;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The checks every backend applies to what callers pass in, so that all of them reject the same bad input with the
 * same message before any computation starts.
 */
public final class InputChecks {

    private InputChecks() {
    }

    /**
     * @param network the network
     * @param inputs  the inputs to check
     * @throws IllegalArgumentException unless {@code [batch, time, inputSize]} with every value finite
     */
    public static void checkInputs(Network network, Tensor inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException("inputs are null; pass a tensor of shape [batch, time, "
                    + network.inputSize() + "]");
        }
        if (inputs.rank() != 3) {
            throw new IllegalArgumentException("inputs have shape " + inputs.shapeString() + " but the network expects "
                    + "[batch, time, " + network.inputSize() + "]; a single sequence needs a batch axis of 1");
        }
        if (inputs.dim(2) != network.inputSize()) {
            throw new IllegalArgumentException("input has " + inputs.dim(2) + " features per step but the network "
                    + "expects " + network.inputSize() + " (shape " + inputs.shapeString()
                    + "; check Dataset.features())");
        }
        int bad = inputs.firstNonFinite();
        if (bad >= 0) {
            int t = inputs.dim(1);
            int f = inputs.dim(2);
            throw new IllegalArgumentException("input value " + inputs.get(bad) + " at [" + bad / (t * f) + ", "
                    + (bad / f) % t + ", " + bad % f + "] is not finite; clean or impute the data before running the "
                    + "network");
        }
    }

    /**
     * Checks that a batch carries what the network's head trains on: one class per example (last-step classifier) or
     * per step (per-step classifier), each within range; or regression targets of shape {@code [batch, outputs]} or
     * {@code [batch, time, outputs]}, all finite.
     *
     * @param network the network, with a head
     * @param batch   the batch to check
     * @throws IllegalArgumentException if the inputs are bad or the labels or targets are missing, misshapen or out of
     *     range
     */
    public static void checkLabelled(Network network, Batch batch) {
        checkInputs(network, batch.inputs());
        checkTargets(network.requireHead(), batch);
    }

    /**
     * The target part of {@link #checkLabelled}: labels or targets that fit the head (labels past an example's length
     * are not checked, since no loss reads them).
     *
     * @param head  the head
     * @param batch the batch
     * @throws IllegalArgumentException if the labels or targets are missing, misshapen or out of range
     */
    public static void checkTargets(Head head, Batch batch) {
        int b = batch.size();
        int t = batch.timeSteps();
        boolean perStep = head.target() == Head.Target.EVERY_STEP;
        if (head.loss() == Head.Loss.SOFTMAX_CROSS_ENTROPY) {
            int[] labels = batch.requireLabels();
            int want = perStep ? b * t : b;
            if (labels.length != want) {
                throw new IllegalArgumentException("the head classifies " + (perStep ? "every step" : "the last step")
                        + " so it needs " + want + " labels (" + (perStep ? "batch x time" : "one per sequence")
                        + ") but the batch has " + labels.length);
            }
            int classes = head.outputs();
            for (int i = 0; i < labels.length; i++) {
                boolean ignored = perStep && i % t >= batch.length(i / t);
                if (!ignored && (labels[i] < 0 || labels[i] >= classes)) {
                    throw new IllegalArgumentException("label " + labels[i] + " of example " + (perStep ? i / t : i)
                            + (perStep ? ", step " + i % t : "") + " is outside [0, " + classes + ") for a head with "
                            + classes + " classes");
                }
            }
        } else {
            Tensor targets = batch.requireTargets();
            int[] want = perStep ? new int[] {b, t, head.outputs()} : new int[] {b, head.outputs()};
            if (!Arrays.equals(targets.shape(), want)) {
                throw new IllegalArgumentException("regression targets have shape " + targets.shapeString() + " but "
                        + Arrays.toString(want) + " is needed (" + (perStep ? "batch, time, outputs" : "batch, outputs")
                        + ")");
            }
            int bad = targets.firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException("target value " + targets.get(bad) + " at flat index " + bad
                        + " is not finite");
            }
        }
    }

    /**
     * @param network the network
     * @param states  initial states
     * @param batch   batch size
     * @throws IllegalArgumentException if there is not one entry per layer with shape {@code [dirs, batch, hidden]}
     */
    public static void checkStates(Network network, States states, int batch) {
        if (states.layers() != network.layers().size()) {
            throw new IllegalArgumentException("initial states are given for " + states.layers()
                    + " layers but the network has " + network.layers().size());
        }
        for (int k = 0; k < states.layers(); k++) {
            var s = network.layers().get(k);
            int[] want = {s.direction().count(), batch, s.cell().hiddenSize()};
            Tensor h = states.hidden().get(k);
            if (h == null || !Arrays.equals(h.shape(), want)) {
                throw new IllegalArgumentException("initial hidden state of layer " + k + " has shape "
                        + (h == null ? "null" : h.shapeString()) + " but " + Arrays.toString(want)
                        + " ([directions, batch, hidden]) is expected");
            }
            if (h.firstNonFinite() >= 0) {
                throw new IllegalArgumentException("initial hidden state of layer " + k + " has a non-finite value "
                        + h.get(h.firstNonFinite()) + " at flat index " + h.firstNonFinite());
            }
            Tensor c = states.cell().get(k);
            if (c != null && c.firstNonFinite() >= 0) {
                throw new IllegalArgumentException("initial cell state of layer " + k + " has a non-finite value "
                        + c.get(c.firstNonFinite()) + " at flat index " + c.firstNonFinite());
            }
            if (s.cell().hasCellState()) {
                if (c != null && !Arrays.equals(c.shape(), want)) {
                    throw new IllegalArgumentException("initial cell state of layer " + k + " has shape "
                            + c.shapeString() + " but " + Arrays.toString(want) + " is expected");
                }
            } else if (c != null) {
                throw new IllegalArgumentException("layer " + k + " (" + s.cell().kind()
                        + ") has no cell state but one was given; pass null");
            }
        }
    }
}
