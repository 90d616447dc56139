package io.github.recurra.api.model;

/**
 * What a {@link Sequence} that returns only its last step ({@code returnSequences(false)}) outputs for each example.
 * The two choices are the same for a forward sequence and differ for a reverse direction, which reads an example from
 * its last valid step back to step 0.
 *
 * <p>Notation: example b has length L (the batch's time steps T when the batch has no lengths); fwd(t) and rev(t) are
 * the forward and reverse directions' outputs at original time index t (what {@code returnSequences(true)} would
 * return there); merge is the layer's {@link MergeMode} ({@code [fwd, rev]} for {@code CONCAT}). A one-direction
 * layer has only its own term.
 */
public enum LastStep {
    /**
     * The merge of the directions' final states (the default): merge(fwd(L − 1), rev(0)). The forward direction's
     * state after the example's last valid step and the reverse direction's state after reading back to step 0, so
     * each direction has seen the whole example; these are the states {@code Forward.finalStates()} reports. In
     * PyTorch: {@code torch.cat([h_n[-2], h_n[-1]], dim=1)} of a bidirectional layer ({@code h_n[-1]} of a
     * one-direction one), with or without packed sequences.
     */
    FINAL_STATES,
    /**
     * The merged per-step output at the example's last valid time index: merge(fwd(L − 1), rev(L − 1)), that is index
     * T − 1 without lengths and L − 1 with them. For the forward direction this is its final state; for the reverse
     * direction it is its output after its first step, having seen only that step. In PyTorch: {@code y[:, -1, :]} of
     * the layer's output {@code y} when there are no lengths (a model written as {@code linear(y[:, -1, :])}, whose
     * ONNX export is {@code Gather(axis=1, index=-1)}), and {@code y[b, len_b - 1, :]} of the padded output of packed
     * sequences ({@code pad_packed_sequence}) with lengths. The final states that {@code Forward.finalStates()}
     * reports stay the directions' real final states.
     */
    LAST_TIME_INDEX
}
