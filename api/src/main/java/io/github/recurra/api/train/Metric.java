package io.github.recurra.api.train;

/** A quantity that callbacks such as {@code EarlyStopping} watch. */
public enum Metric {
    /** the mean minibatch loss of the last epoch (or since the last validation) */
    TRAINING_LOSS(false),
    /** the mean minibatch accuracy of the last epoch (or since the last validation) */
    TRAINING_ACCURACY(true),
    /** the loss on the validation set */
    VALIDATION_LOSS(false),
    /** the accuracy on the validation set */
    VALIDATION_ACCURACY(true);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** @return true for accuracies, false for losses */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * @param candidate a new value
     * @param best      the best so far (NaN for none)
     * @param minDelta  the least improvement that counts, at least 0
     * @return whether {@code candidate} improves on {@code best} by more than {@code minDelta}
     */
    public boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
    }
}
