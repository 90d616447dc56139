package io.github.recurra.api.train;

/**
 * Metrics of a model on a labelled dataset.
 *
 * @param examples how many examples were scored
 * @param loss     the head's mean loss (cross-entropy or squared error)
 * @param accuracy fraction of examples (or valid steps, for a per-step classifier) whose most probable class is the
 *                 label; NaN for regression
 */
public record Evaluation(int examples, double loss, double accuracy) {
}
