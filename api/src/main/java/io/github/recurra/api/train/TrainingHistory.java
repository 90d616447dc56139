package io.github.recurra.api.train;

import java.util.List;

/**
 * What a training run recorded, in order: every step's report, each finished epoch's summary and every validation
 * scoring. Immutable.
 *
 * @param steps       one report per step, in step order
 * @param epochs      one summary per epoch, in epoch order
 * @param validations one report per validation scoring, in step order (empty without a validation set)
 */
public record TrainingHistory(List<StepReport> steps, List<EpochReport> epochs, List<ValidationReport> validations) {

    /**
     * Copies the lists.
     *
     * @param steps       one report per step, in step order
     * @param epochs      one summary per epoch, in epoch order
     * @param validations one report per validation scoring, in step order (empty without a validation set)
     */
    public TrainingHistory {
        steps = List.copyOf(steps);
        epochs = List.copyOf(epochs);
        validations = List.copyOf(validations);
    }

    /** @return a history with nothing in it */
    public static TrainingHistory empty() {
        return new TrainingHistory(List.of(), List.of(), List.of());
    }
}
