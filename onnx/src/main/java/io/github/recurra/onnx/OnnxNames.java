package io.github.recurra.onnx;

/**
 * The names of the graph inputs and outputs that {@link OnnxFormat} writes. Batch-major: the time axis is the second
 * one everywhere except in the states, which keep the ONNX operators' {@code [dirs, batch, hidden]} layout.
 */
public final class OnnxNames {
    /** The input sequences: float {@code [batch, time, features]}, both leading dimensions dynamic. */
    public static final String INPUT = "input";
    /** Optional: int32 {@code [batch]}, each example's length (at least 1, at most {@code time}). */
    public static final String SEQUENCE_LENS = "sequence_lens";
    /** The last recurrent layer's output: {@code [batch, time, features]}, or {@code [batch, features]}. */
    public static final String OUTPUT = "output";
    /** The head's outputs: {@code [batch, outputs]} or, for a per-step head, {@code [batch, time, outputs]}. */
    public static final String LOGITS = "logits";
    /** Softmax of the logits over the last axis; written for classifier heads. */
    public static final String PROBABILITIES = "probabilities";

    private OnnxNames() {
    }

    /**
     * @param layer layer index from 0
     * @return the optional initial hidden state input of that layer, {@code [dirs, batch, hidden]}
     */
    public static String initialH(int layer) {
        return "initial_h." + layer;
    }

    /**
     * @param layer layer index from 0 (an LSTM layer)
     * @return the optional initial cell state input of that layer, {@code [dirs, batch, hidden]}
     */
    public static String initialC(int layer) {
        return "initial_c." + layer;
    }

    /**
     * @param layer layer index from 0
     * @return the optional final hidden state output of that layer, {@code [dirs, batch, hidden]}
     */
    public static String finalH(int layer) {
        return "final_h." + layer;
    }

    /**
     * @param layer layer index from 0 (an LSTM layer)
     * @return the optional final cell state output of that layer, {@code [dirs, batch, hidden]}
     */
    public static String finalC(int layer) {
        return "final_c." + layer;
    }
}
