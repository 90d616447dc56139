package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Direction;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.model.Sequence;
import io.github.recurra.api.tensor.Tensor;
import java.util.Objects;

/**
 * The {@link Streaming} any model with {@link Capability#INITIAL_STATES} supports: each chunk runs
 * {@link Model#forward(Tensor, States)} from the final states of the previous one, kept on the host. What
 * {@link Model#openStream(int)} returns unless a backend does better. Not thread-safe.
 */
public final class HostStreaming implements Streaming {
    private final Model model;
    private final int batch;
    private States state;
    private long steps;
    private boolean closed;

    /**
     * @param model the model (any backend with {@link Capability#INITIAL_STATES})
     * @param batch how many sequences run side by side, at least 1
     * @throws IllegalArgumentException if a layer is reverse or bidirectional, or the batch is below 1
     */
    public HostStreaming(Model model, int batch) {
        this.model = Objects.requireNonNull(model, "model");
        checkStreamable(model.network(), batch);
        this.batch = batch;
    }

    /**
     * The checks every {@link Streaming} applies when opened.
     *
     * @param network the network
     * @param batch   sequences side by side
     * @throws IllegalArgumentException if a layer is reverse or bidirectional, or the batch is below 1
     */
    public static void checkStreamable(Network network, int batch) {
        for (int k = 0; k < network.layers().size(); k++) {
            Sequence s = network.layers().get(k);
            if (s.direction() != Direction.FORWARD) {
                throw new IllegalArgumentException("streaming needs every layer to read forwards but layer " + k
                        + " is " + s.direction().onnxName() + "; run whole sequences with Model.forward instead");
            }
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1 but was " + batch);
        }
    }

    @Override
    public Forward feed(Tensor chunk) {
        checkOpen();
        if (chunk.rank() != 3 || chunk.dim(0) != batch) {
            throw new IllegalArgumentException("chunk has shape " + chunk.shapeString() + " but [" + batch
                    + ", steps, " + model.network().inputSize() + "] is expected");
        }
        Forward f = model.forward(new Batch(chunk, null), state);
        state = f.finalStates();
        steps += chunk.dim(1);
        return f;
    }

    @Override
    public States state() {
        checkOpen();
        return state;
    }

    @Override
    public long steps() {
        checkOpen();
        return steps;
    }

    @Override
    public void reset() {
        checkOpen();
        state = null;
        steps = 0;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this stream is closed; open a new one with Model.openStream");
        }
    }
}
