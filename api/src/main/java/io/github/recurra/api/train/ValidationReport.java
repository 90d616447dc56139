package io.github.recurra.api.train;

/**
 * One scoring of the model on the validation set during training (see {@code Trainer.Builder#validation}).
 *
 * @param step     the training steps applied before the scoring
 * @param epoch    the 1-based pass over the training set the step belongs to
 * @param examples training examples consumed before the scoring
 * @param loss     the head's mean loss on the validation set
 * @param accuracy the validation accuracy; NaN for a regression head
 */
public record ValidationReport(long step, int epoch, long examples, double loss, double accuracy) {
}
