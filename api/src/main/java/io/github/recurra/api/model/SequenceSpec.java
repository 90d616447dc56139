package io.github.recurra.api.model;

import io.github.recurra.api.cell.Cell;

/** The immutable value behind {@link Sequence#builder(Cell)}. */
record SequenceSpec(Cell cell, Direction direction, MergeMode mergeMode, boolean returnSequences, LastStep lastStep)
        implements Sequence {

    SequenceSpec {
        if (returnSequences && lastStep != LastStep.FINAL_STATES) {
            throw new IllegalArgumentException("lastStep(" + lastStep + ") chooses what a sequence that returns only "
                    + "its last step outputs, but this sequence returns every step (returnSequences(true)); use "
                    + "returnSequences(false), or leave lastStep at its default FINAL_STATES");
        }
    }

    @Override
    public String toString() {
        return "Sequence{" + cell + ", " + direction.onnxName()
                + (direction == Direction.BIDIRECTIONAL ? ", merge=" + mergeMode : "")
                + (returnSequences ? ", all steps" : ", last step")
                + (lastStep != LastStep.FINAL_STATES ? "=" + lastStep : "") + "}";
    }
}
