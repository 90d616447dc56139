package io.github.recurra.api.model;

import io.github.recurra.api.cell.Cell;
import java.util.Objects;

/**
 * A cell unrolled over time: reads {@code [batch, time, features]} and produces either every step's hidden state
 * {@code [batch, time, outputSize]} ({@link #returnSequences()}) or only the last step's {@code [batch, outputSize]}
 * (which one {@link #lastStep()} says). Immutable; build with {@link #of(Cell)} or {@link #builder(Cell)}.
 */
public interface Sequence {

    /** @return the cell computed at each step */
    Cell cell();

    /** @return the reading direction */
    Direction direction();

    /** @return how a bidirectional sequence merges its directions (ignored otherwise) */
    MergeMode mergeMode();

    /**
     * @return true to output every step; false for the last step only, which by default is the merge of the
     *         directions' final states (for the forward direction the output at each example's last valid step, for
     *         the reverse direction its output at step 0); {@link #lastStep()} can choose the merged output at the
     *         last valid time index instead
     */
    boolean returnSequences();

    /**
     * @return what the sequence outputs when it returns only its last step; always {@link LastStep#FINAL_STATES} for
     *         a sequence that returns every step
     */
    default LastStep lastStep() {
        return LastStep.FINAL_STATES;
    }

    /** @return features per step of the output: hidden size, doubled for a concatenated bidirectional sequence */
    default int outputSize() {
        int h = cell().hiddenSize();
        return direction() == Direction.BIDIRECTIONAL && mergeMode() == MergeMode.CONCAT ? 2 * h : h;
    }

    /**
     * @param cell the cell
     * @return a forward sequence over {@code cell} that returns the last step
     */
    static Sequence of(Cell cell) {
        return builder(cell).build();
    }

    /**
     * @param cell the cell
     * @return a builder: forward, last step only (the final states), concatenated merge
     */
    static Builder builder(Cell cell) {
        return new Builder(cell);
    }

    /** Builder for {@link Sequence}. */
    final class Builder {
        private final Cell cell;
        private Direction direction = Direction.FORWARD;
        private MergeMode mergeMode = MergeMode.CONCAT;
        private boolean returnSequences;
        private LastStep lastStep = LastStep.FINAL_STATES;

        private Builder(Cell cell) {
            this.cell = Objects.requireNonNull(cell, "cell");
        }

        /**
         * @param direction forward (default), reverse or bidirectional
         * @return this
         */
        public Builder direction(Direction direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
            return this;
        }

        /**
         * @param mergeMode for bidirectional sequences (default concat)
         * @return this
         */
        public Builder mergeMode(MergeMode mergeMode) {
            this.mergeMode = Objects.requireNonNull(mergeMode, "mergeMode");
            return this;
        }

        /**
         * @param returnSequences true to output every step (needed below another layer or a per-step head)
         * @return this
         */
        public Builder returnSequences(boolean returnSequences) {
            this.returnSequences = returnSequences;
            return this;
        }

        /**
         * @param lastStep what the sequence outputs when it returns only its last step: the merge of the directions'
         *                 final states (default) or the merged output at each example's last valid time index, as
         *                 PyTorch's {@code y[:, -1, :]}; only for a sequence that does not return every step
         * @return this
         */
        public Builder lastStep(LastStep lastStep) {
            this.lastStep = Objects.requireNonNull(lastStep, "lastStep");
            return this;
        }

        /**
         * @return the sequence
         * @throws IllegalArgumentException if it returns every step but {@link #lastStep(LastStep)} chose something
         *                                  other than {@link LastStep#FINAL_STATES}
         */
        public Sequence build() {
            return new SequenceSpec(cell, direction, mergeMode, returnSequences, lastStep);
        }
    }
}
