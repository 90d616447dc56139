package io.github.recurra.api.cell;

/**
 * One recurrent time step: maps the input x<sub>t</sub> and the previous state to the new state. A cell is an
 * immutable spec; backends compute it. Parameters follow the ONNX operator layout for one direction:
 * {@code W [G*hidden, input]}, {@code R [G*hidden, hidden]}, {@code B [2*G*hidden]} (input bias, then recurrent bias)
 * and, for an LSTM with peepholes, {@code P [3*hidden]}, where G is {@link #gates()}.
 *
 * <p>The three kinds are {@link RnnCell} (G = 1), {@link LstmCell} (G = 4, gate order i o f c) and {@link GruCell}
 * (G = 3, gate order z r h).
 */
public sealed interface Cell permits RnnCell, LstmCell, GruCell {

    /** @return the number of hidden units, at least 1 */
    int hiddenSize();

    /** @return G, the number of gate blocks stacked in W, R and each half of B */
    int gates();

    /** @return a short lower-case name: {@code rnn}, {@code lstm} or {@code gru} */
    String kind();

    /** @return whether the cell carries a cell state besides the hidden state (LSTM) */
    default boolean hasCellState() {
        return false;
    }

    /** @return whether the cell has a peephole tensor P */
    default boolean hasPeepholes() {
        return false;
    }

    /**
     * @return the clip threshold applied to every gate pre-activation (ONNX {@code clip}), or
     *     {@link Float#POSITIVE_INFINITY} for none
     */
    float clip();

    /** @return whether {@link #clip()} is finite */
    default boolean hasClip() {
        return clip() != Float.POSITIVE_INFINITY;
    }

    /**
     * Checks a hidden size.
     *
     * @param hiddenSize the value
     * @return the value
     * @throws IllegalArgumentException if it is below 1
     */
    static int checkHidden(int hiddenSize) {
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hidden size must be at least 1 but was " + hiddenSize);
        }
        return hiddenSize;
    }

    /**
     * Checks a clip threshold.
     *
     * @param clip the value
     * @return the value
     * @throws IllegalArgumentException if it is not positive (infinity means no clipping)
     */
    static float checkClip(float clip) {
        if (!(clip > 0f)) {
            throw new IllegalArgumentException("clip must be positive (or Float.POSITIVE_INFINITY for none) but was "
                    + clip);
        }
        return clip;
    }
}
