package io.github.recurra.api.train;

/**
 * Metrics of a model on a labelled dataset.
 *
 * @param examples how many examples were scored
 * @param loss     mean softmax cross-entropy
 * @param accuracy fraction whose most probable class is the label
 */
public record Evaluation(int examples, double loss, double accuracy) {
}
