package io.github.recurra.api.train;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param steps     updates applied
 * @param examples  training examples consumed
 * @param epochs    passes over the training set begun
 * @param lastLoss  the last minibatch loss
 * @param seconds   wall time
 */
public record TrainingResult(long steps, long examples, int epochs, double lastLoss, double seconds) {
}
