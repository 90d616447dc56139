package io.github.recurra.api.spi;

import io.github.recurra.api.tensor.Tensor;

/**
 * Runs a model over sequences that arrive in pieces, one step or one chunk at a time, carrying every layer's state
 * from one call to the next: the outputs equal those of the whole sequence at once. Needs every layer to read
 * forwards (a reverse direction needs the end of the sequence first). Opened by {@link Model#openStream(int)}; the
 * default, {@link HostStreaming}, hands the states back to the model with every chunk, and a backend may keep them
 * where they are between chunks instead. Not thread-safe; one instance per stream of batches. Close it when done;
 * after {@link #close()} every other call throws {@link IllegalStateException}.
 */
public interface Streaming extends AutoCloseable {

    /**
     * Feeds the next chunk of every sequence.
     *
     * @param chunk {@code [batch, steps, features]}, finite
     * @return the network's outputs for these steps, from the state the previous chunks left
     * @throws IllegalArgumentException if the chunk's shape differs from {@code [batch, steps, features]}
     */
    Forward feed(Tensor chunk);

    /** @return every layer's state after the steps fed so far (a copy, on the host), or null before the first */
    States state();

    /** @return steps fed since the start or the last {@link #reset()} */
    long steps();

    /** Starts new sequences from zero states. */
    void reset();

    /** Frees what the stream holds (the model stays open). Idempotent. */
    @Override
    void close();
}
