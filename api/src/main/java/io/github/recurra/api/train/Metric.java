package io.github.recurra.api.train;

/**
 * A quantity that callbacks such as {@link EarlyStopping} watch. The validation metrics come with each validation
 * scoring ({@link ValidationReport}, so a callback watching them acts when the {@link ValidationSchedule} says); the
 * training metrics come with each epoch's end ({@link EpochReport}: the means over the epoch's minibatches, so a
 * callback watching them acts once per epoch, and at the end of a run that stops mid-epoch).
 */
public enum Metric {
    /** the mean minibatch loss of the epoch that just ended ({@link EpochReport#meanLoss()}) */
    TRAINING_LOSS(false),
    /** the mean minibatch accuracy of the epoch that just ended ({@link EpochReport#meanAccuracy()}) */
    TRAINING_ACCURACY(true),
    /** the loss on the validation set ({@link ValidationReport#loss()}) */
    VALIDATION_LOSS(false),
    /** the accuracy on the validation set ({@link ValidationReport#accuracy()}) */
    VALIDATION_ACCURACY(true);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** @return true for accuracies, false for losses */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** @return whether it comes with validation scorings (else with epoch ends) */
    public boolean fromValidation() {
        return this == VALIDATION_LOSS || this == VALIDATION_ACCURACY;
    }

    /** @return whether it is an accuracy (which a regression head does not have) */
    public boolean isAccuracy() {
        return this == TRAINING_ACCURACY || this == VALIDATION_ACCURACY;
    }

    /**
     * @param report a validation scoring
     * @return this metric's value in it
     * @throws IllegalArgumentException if this is a training metric (see {@link #fromValidation()})
     */
    public double of(ValidationReport report) {
        return switch (this) {
            case VALIDATION_LOSS -> report.loss();
            case VALIDATION_ACCURACY -> report.accuracy();
            case TRAINING_LOSS, TRAINING_ACCURACY -> throw new IllegalArgumentException(this + " comes with epoch "
                    + "reports, not validation reports");
        };
    }

    /**
     * @param report an epoch's summary
     * @return this metric's value in it
     * @throws IllegalArgumentException if this is a validation metric (see {@link #fromValidation()})
     */
    public double of(EpochReport report) {
        return switch (this) {
            case TRAINING_LOSS -> report.meanLoss();
            case TRAINING_ACCURACY -> report.meanAccuracy();
            case VALIDATION_LOSS, VALIDATION_ACCURACY -> throw new IllegalArgumentException(this + " comes with "
                    + "validation reports, not epoch reports");
        };
    }

    /** @return the name in words, for messages: {@code "validation loss"} */
    public String words() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /**
     * Checks, before training, that a callback watching this metric will get values: a validation metric needs a
     * validation set, an accuracy a classifier head.
     *
     * @param control  the run's control
     * @param callback the callback's name, for the message
     * @throws IllegalArgumentException if it will not
     */
    void checkAvailable(TrainingControl control, String callback) {
        if (fromValidation() && !control.validates()) {
            throw new IllegalArgumentException(callback + " watches the " + words() + " but the trainer has no "
                    + "validation set; add one with Trainer.Builder.validation, or watch TRAINING_"
                    + (isAccuracy() ? "ACCURACY" : "LOSS"));
        }
        if (isAccuracy() && control.network().requireHead().loss() != io.github.recurra.api.model.Head.Loss
                .SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalArgumentException(callback + " watches the " + words() + " but the head ("
                    + control.network().requireHead() + ") is a regression head, which has no accuracy; watch the "
                    + "loss instead");
        }
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
