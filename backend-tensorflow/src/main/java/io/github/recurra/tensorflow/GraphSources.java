package io.github.recurra.tensorflow;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What an inference piece reads instead of its own placeholders, when its inputs are computed in the graph rather
 * than fed by a {@link Run}: a SavedModel export ({@link ExportGraph}) turns int32 lengths into the mask and the batch
 * size into zero states inside the graph, so that a serving client feeds only the sequences and their lengths.
 *
 * @param inputs {@code [batch, T, I]}
 * @param mask   {@code [T, batch, 1]} 0/1 validity per step; required exactly when the piece's key has lengths
 * @param h0     per layer {@code [dirs, batch, H]}
 * @param c0     per layer the cell states, null entries for layers without one
 */
record GraphSources(Operand<TFloat32> inputs, Operand<TFloat32> mask, List<Operand<TFloat32>> h0,
        List<Operand<TFloat32>> c0) {
}
