package io.github.recurra.api.train;

/**
 * A summary of one pass over the training set, reported when the pass ends (the last epoch of a run that stops
 * mid-pass is reported when the run ends, over the steps it had).
 *
 * @param epoch        1-based epoch number
 * @param step         the last step of the epoch
 * @param examples     training examples consumed up to the end of the epoch
 * @param steps        steps in this epoch
 * @param meanLoss     the mean of the epoch's minibatch losses
 * @param meanAccuracy the mean of the epoch's minibatch accuracies; NaN for a regression head
 * @param seconds      wall time of the epoch's steps
 */
public record EpochReport(int epoch, long step, long examples, long steps, double meanLoss, double meanAccuracy,
        double seconds) {
}
