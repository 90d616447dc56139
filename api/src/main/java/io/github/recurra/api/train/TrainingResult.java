package io.github.recurra.api.train;

import java.util.Objects;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param steps      updates applied
 * @param examples   training examples consumed
 * @param epochs     passes over the training set begun
 * @param lastLoss   the last minibatch loss
 * @param seconds    wall time
 * @param history    what the run recorded (steps, epochs, validations)
 * @param stopReason why the run ended before its budget (for example early stopping), or null if it ran to the end
 */
public record TrainingResult(long steps, long examples, int epochs, double lastLoss, double seconds,
        TrainingHistory history, String stopReason) {

    /**
     * Checks that a history is given.
     *
     * @param steps      updates applied
     * @param examples   training examples consumed
     * @param epochs     passes over the training set begun
     * @param lastLoss   the last minibatch loss
     * @param seconds    wall time
     * @param history    what the run recorded (steps, epochs, validations)
     * @param stopReason why the run ended before its budget (for example early stopping), or null if it ran to the end
     */
    public TrainingResult {
        Objects.requireNonNull(history, "history");
    }

    /** @return whether the run ended before its budget */
    public boolean stoppedEarly() {
        return stopReason != null;
    }
}
