package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;

/**
 * A network compiled by a backend, holding its current parameters. {@link #forward} may be called from several
 * threads at once, each call getting what it would get alone. A training step (a {@link TrainingSession}'s step, or
 * {@link #setParameters}) may run while {@code forward} calls are in flight on other threads: the backend serialises
 * them, so each {@code forward} computes with the parameters from before or after each update, never a mix; two
 * training calls on one model must not run at once. Close it to free what the backend holds (native memory on native
 * backends); {@link #close()} may be called while {@code forward} calls run on other threads: it waits for them to
 * finish, and calls that start after it fail with {@link IllegalStateException}. The conformance kit's
 * {@code ConcurrencyConformance} holds every backend to this.
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
    default Forward forward(Tensor inputs) {
        InputChecks.checkInputs(network(), inputs);
        return forward(new Batch(inputs, null), null);
    }

    /**
     * Runs the network from the given initial states.
     *
     * @param inputs  as {@link #forward(Tensor)}
     * @param initial one entry per layer, shapes {@code [dirs, batch, hidden]}
     * @return as {@link #forward(Tensor)}
     * @throws UnsupportedCapabilityException if the backend lacks {@link Capability#INITIAL_STATES}
     */
    default Forward forward(Tensor inputs, States initial) {
        InputChecks.checkInputs(network(), inputs);
        return forward(new Batch(inputs, null), initial);
    }

    /**
     * Runs the network on a batch's inputs, honouring its lengths (outputs past an example's length are zero, its
     * state stays as it was at its last step, and "last step" means that step). Labels and targets are ignored.
     *
     * @param batch   inputs and optional lengths
     * @param initial initial states, or null for zeros
     * @return outputs, final states and, with a head, logits and predictions
     * @throws UnsupportedCapabilityException if the batch has lengths and the backend lacks
     *                                        {@link Capability#SEQUENCE_LENGTHS}, or likewise for initial states
     */
    Forward forward(Batch batch, States initial);

    /**
     * A forward pass in training mode: like {@link #forward(Batch, States)} but with the dropout masks that
     * {@link #lossAndGradients(Batch, States, long)} would draw for the same seed (truncated BPTT uses it for the
     * steps it runs without gradients). Without dropout it equals {@link #forward(Batch, States)}.
     *
     * @param batch   inputs and optional lengths
     * @param initial initial states, or null for zeros
     * @param seed    seed of the dropout masks
     * @return outputs, final states and, with a head, logits and predictions
     */
    default Forward forwardTraining(Batch batch, States initial, long seed) {
        if (network().dropout() > 0) {
            throw new UnsupportedOperationException("backend '" + backend() + "' has no training-mode forward pass, "
                    + "which dropout needs here");
        }
        return forward(batch, initial);
    }

    /**
     * The mean loss of a batch and its gradients, from zero initial states, for a network without dropout.
     *
     * @param batch inputs, labels or targets, optional lengths
     * @return loss, logits, gradients and final states
     * @throws UnsupportedCapabilityException if the backend lacks {@link Capability#TRAINING}
     * @throws IllegalStateException          if the network has no head, or has dropout (which needs a new seed every
     *                                        step: use {@link #lossAndGradients(Batch, States, long)})
     */
    default LossAndGradients lossAndGradients(Batch batch) {
        if (network().dropout() > 0) {
            throw new IllegalStateException("this network has dropout, whose masks must change every step; call "
                    + "lossAndGradients(batch, null, seed) with a different seed per step (Trainer does this)");
        }
        return lossAndGradients(batch, null, 0L);
    }

    /**
     * The mean loss of a batch and its gradients.
     *
     * @param batch   inputs, labels or targets, optional lengths
     * @param initial initial states (treated as constants, as truncated BPTT carries them), or null for zeros
     * @param seed    seed of the dropout masks of this step (the same seed gives the same masks on every backend
     *                that implements dropout)
     * @return loss, logits, gradients, final states and the gradients with respect to the initial states
     */
    LossAndGradients lossAndGradients(Batch batch, States initial, long seed);

    /** @return a copy of the current parameters, canonical names and shapes */
    Parameters parameters();

    /**
     * Replaces the parameters (copied in).
     *
     * @param parameters canonical names and shapes
     * @throws IllegalArgumentException if they do not match the network
     */
    void setParameters(Parameters parameters);

    /**
     * Opens a training session: the optimizer's state and the way its updates reach this model's parameters. The
     * default is a {@link HostTrainingSession} (gradients on the host, the API's update rules in Java, parameters
     * written back with {@link #setParameters}); a backend whose parameters live in native memory may return one
     * that updates them in place, with the same results. One session per model at a time; while it is open, change
     * the parameters only through it.
     *
     * @param optimizer the update rule, schedule and clipping
     * @return the session; close it
     * @throws UnsupportedCapabilityException if the backend lacks {@link Capability#TRAINING} (when the first step
     *                                        asks for gradients, for the default session)
     */
    default TrainingSession openTraining(Optimizer optimizer) {
        return new HostTrainingSession(this, optimizer);
    }

    /**
     * Opens a stream that runs sequences chunk by chunk, carrying the states between chunks. The default is a
     * {@link HostStreaming} (states copied out after each chunk and passed back in with the next); a backend may keep
     * them where they are.
     *
     * @param batch how many sequences run side by side, at least 1
     * @return the stream; close it
     * @throws IllegalArgumentException if a layer is reverse or bidirectional, or the batch is below 1
     */
    default Streaming openStream(int batch) {
        return new HostStreaming(this, batch);
    }

    /** Frees what the model holds. Idempotent. */
    @Override
    void close();
}
