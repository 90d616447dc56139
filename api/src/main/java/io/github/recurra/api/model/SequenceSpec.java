package io.github.recurra.api.model;

import io.github.recurra.api.cell.Cell;

/** The immutable value behind {@link Sequence#builder(Cell)}. */
record SequenceSpec(Cell cell, Direction direction, MergeMode mergeMode, boolean returnSequences)
        implements Sequence {

    @Override
    public String toString() {
        return "Sequence{" + cell + ", " + direction.onnxName()
                + (direction == Direction.BIDIRECTIONAL ? ", merge=" + mergeMode : "")
                + (returnSequences ? ", all steps" : ", last step") + "}";
    }
}
