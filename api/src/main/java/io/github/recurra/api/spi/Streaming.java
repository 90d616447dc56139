package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.tensor.Tensor;
import java.util.Objects;

/**
 * Runs a model over sequences that arrive in pieces, one step or one chunk at a time, carrying every layer's state
 * from one call to the next: the outputs equal those of the whole sequence at once. Needs every layer to read
 * forwards (a reverse direction needs the end of the sequence first). Not thread-safe; one instance per stream of
 * batches.
 */
public final class Streaming {
    private final Model model;
    private final int batch;
    private States state;
    private long steps;

    /**
     * @param model the model (any backend with {@link Capability#INITIAL_STATES})
     * @param batch how many sequences run side by side
     * @throws IllegalArgumentException if a layer is reverse or bidirectional
     */
    public Streaming(Model model, int batch) {
        this.model = Objects.requireNonNull(model, "model");
        Network n = model.network();
        for (int k = 0; k < n.layers().size(); k++) {
            Sequence s = n.layers().get(k);
            if (s.direction() != Direction.FORWARD) {
                throw new IllegalArgumentException("streaming needs every layer to read forwards but layer " + k
                        + " is " + s.direction().onnxName() + "; run whole sequences with Model.forward instead");
            }
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1 but was " + batch);
        }
        this.batch = batch;
    }

    /**
     * Feeds the next chunk of every sequence.
     *
     * @param chunk {@code [batch, steps, features]}
     * @return the network's outputs for these steps, from the state the previous chunks left
     */
    public Forward feed(Tensor chunk) {
        if (chunk.rank() != 3 || chunk.dim(0) != batch) {
            throw new IllegalArgumentException("chunk has shape " + chunk.shapeString() + " but [" + batch
                    + ", steps, " + model.network().inputSize() + "] is expected");
        }
        Forward f = model.forward(new Batch(chunk, null), state);
        state = f.finalStates();
        steps += chunk.dim(1);
        return f;
    }

    /** @return every layer's state after the steps fed so far, or null before the first */
    public States state() {
        return state;
    }

    /** @return steps fed since the start or the last {@link #reset()} */
    public long steps() {
        return steps;
    }

    /** Starts new sequences from zero states. */
    public void reset() {
        state = null;
        steps = 0;
    }
}
