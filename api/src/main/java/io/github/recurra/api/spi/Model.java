package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;

/**
 * A network compiled by a backend, holding its current parameters. {@link #forward} may be called from several
 * threads at once; {@link #lossAndGradients}, {@link #setParameters} and {@link #close} must not run concurrently
 * with anything else on the same model. Close it to free what the backend holds (native memory on native
 * backends); calls after {@link #close()} fail with {@link IllegalStateException}.
 */
public interface Model extends AutoCloseable {

    /** @return the name of the backend that compiled it */
    String backend();

    /** @return the network spec */
    Network network();

    /**
     * Runs the network from zero initial states.
     *
     * @param inputs {@code [batch, time, features]}, finite, features equal to the network's input size
     * @return outputs, final states and, with a head, logits and predictions
     * @throws IllegalArgumentException for inputs of the wrong shape or with NaN or infinite values
     */
    Forward forward(Tensor inputs);

    /**
     * Runs the network from the given initial states.
     *
     * @param inputs  as {@link #forward(Tensor)}
     * @param initial one entry per layer, shapes {@code [dirs, batch, hidden]}
     * @return as {@link #forward(Tensor)}
     * @throws UnsupportedCapabilityException if the backend lacks {@link Capability#INITIAL_STATES}
     */
    Forward forward(Tensor inputs, States initial);

    /**
     * The mean loss of a labelled batch and its gradients (zero initial states).
     *
     * @param batch inputs and labels
     * @return loss, logits and gradients
     * @throws UnsupportedCapabilityException if the backend lacks {@link Capability#TRAINING}
     * @throws IllegalStateException          if the network has no head
     */
    LossAndGradients lossAndGradients(Batch batch);

    /** @return a copy of the current parameters, canonical names and shapes */
    Parameters parameters();

    /**
     * Replaces the parameters (copied in).
     *
     * @param parameters canonical names and shapes
     * @throws IllegalArgumentException if they do not match the network
     */
    void setParameters(Parameters parameters);

    /** Frees what the model holds. Idempotent. */
    @Override
    void close();
}
