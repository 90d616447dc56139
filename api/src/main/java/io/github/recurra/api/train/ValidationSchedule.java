package io.github.recurra.api.train;

/**
 * When a {@link Trainer} scores its validation set ({@link Trainer.Builder#validation}): after every n-th step
 * ({@link #everySteps}) or after each epoch's last step ({@link #eachEpoch}). With either, the run's last step is
 * scored too (the budget's last step, or the one at which a listener asked to stop), so the history always ends with
 * the score of the parameters the run reached. A closed family of values.
 */
public sealed interface ValidationSchedule permits ValidationSchedule.EverySteps, ValidationSchedule.EachEpoch {

    /**
     * @param steps score after every this many steps (steps counted from the start of the run, so a resumed run scores
     *              at the same steps), at least 1
     * @return the schedule
     */
    static ValidationSchedule everySteps(long steps) {
        return new EverySteps(steps);
    }

    /** @return the schedule that scores after each epoch's last step, as Keras' {@code fit} does */
    static ValidationSchedule eachEpoch() {
        return new EachEpoch();
    }

    /**
     * @param step       the step just applied, from 1
     * @param epochEnded whether that step was the last of its epoch
     * @return whether the validation set is scored after it (the run's last step aside)
     */
    boolean due(long step, boolean epochEnded);

    /**
     * Scores after every {@code steps} steps.
     *
     * @param steps the interval, at least 1
     */
    record EverySteps(long steps) implements ValidationSchedule {

        /**
         * Validates.
         *
         * @param steps the interval, at least 1
         */
        public EverySteps {
            if (steps < 1) {
                throw new IllegalArgumentException("the validation interval must be at least 1 step but was " + steps
                        + "; use ValidationSchedule.eachEpoch() to score once per epoch");
            }
        }

        @Override
        public boolean due(long step, boolean epochEnded) {
            return step % steps == 0;
        }
    }

    /** Scores after each epoch's last step. */
    record EachEpoch() implements ValidationSchedule {

        @Override
        public boolean due(long step, boolean epochEnded) {
            return epochEnded;
        }
    }
}
