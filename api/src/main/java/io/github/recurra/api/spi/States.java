package io.github.recurra.api.spi;

import io.github.recurra.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Recurrent states, one entry per layer: hidden states {@code [dirs, batch, hidden]} (the ONNX {@code Y_h} layout)
 * and, for LSTM layers, cell states of the same shape (null entries for other cells).
 *
 * @param hidden per-layer hidden states
 * @param cell   per-layer cell states, entries null for layers without a cell state
 */
public record States(List<Tensor> hidden, List<Tensor> cell) {

    /**
     * Copies the lists (not the tensors).
     *
     * @param hidden per-layer hidden states
     * @param cell   per-layer cell states, entries null for layers without a cell state
     */
    public States {
        if (hidden.size() != cell.size()) {
            throw new IllegalArgumentException("states for " + hidden.size() + " layers of hidden state but "
                    + cell.size() + " of cell state; give one entry per layer (null where a layer has no cell state)");
        }
        hidden = Collections.unmodifiableList(new ArrayList<>(hidden));
        cell = Collections.unmodifiableList(new ArrayList<>(cell));
    }

    /** @return number of layers */
    public int layers() {
        return hidden.size();
    }
}
