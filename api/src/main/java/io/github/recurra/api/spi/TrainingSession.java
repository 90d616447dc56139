package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Parameters;

/**
 * A model being trained with one optimizer: the optimizer's state (slots, update count) and the way updates reach the
 * model's parameters. Opened by {@link Model#openTraining(Optimizer)}; the default is {@link HostTrainingSession}
 * (gradients to the host, the API's update rules in Java, parameters written back), and a backend whose parameters
 * live in native memory may update them where they are, as long as it gives the same updates (the conformance kit's
 * optimizer area runs through {@link #apply}).
 *
 * <p>All-or-nothing updates: if the loss, the global gradient norm or any updated parameter is NaN or infinite,
 * nothing is applied; the model's parameters, the slots and {@link #updates()} stay as they were.
 *
 * <p>A learning-rate factor f ({@link #setLearningRateFactor}, default 1) scales the optimizer's schedule: update t
 * uses η<sub>t</sub> = f · {@code optimizer().schedule().rate(t)} (the product in double, as
 * {@link io.github.recurra.api.optim.OptimizerState} computes it), so that with f = 0.5 a session gives the updates of
 * the same optimizer at half the learning rate (the conformance kit's optimizer area checks it). It is how callbacks
 * lower the rate on a plateau without a new optimizer, which would lose the slots' meaning and the checkpoint's
 * equality check. The factor is not part of {@link #slots()} or {@link #restore}: a caller that saves the state saves
 * the factor with it (as {@code train.Checkpoint} does) and sets it on the new session.
 *
 * <p>While a session is open, the model's parameters should change only through it: a session may keep its own copy
 * (the host session does), and then a {@link Model#setParameters} from outside is overwritten by the next update. To
 * change them, close the session, set them, open a new session and {@link #restore} the slots. Not thread-safe; one
 * session per model at a time. Close it when done; after {@link #close()} every other call throws
 * {@link IllegalStateException}.
 */
public interface TrainingSession extends AutoCloseable {

    /** @return the model being trained */
    Model model();

    /** @return the optimizer it was opened with */
    Optimizer optimizer();

    /**
     * One training step: the loss and gradients of {@code batch} from {@code initial}, clipping per
     * {@link Optimizer#clipping()}, then one update with t = {@link #updates()} + 1.
     *
     * @param batch   inputs, labels or targets, optional lengths
     * @param initial initial states (treated as constants, as truncated BPTT carries them), or null for zeros
     * @param seed    seed of the dropout masks of this step
     * @return loss, logits, norm and final states; {@link TrainingStep#applied()} false if nothing was applied
     *     because a value was non-finite
     * @throws IllegalStateException if the session is closed
     */
    TrainingStep step(Batch batch, States initial, long seed);

    /**
     * One update from gradients computed elsewhere (another batch split, averaged workers, a test's fixed values):
     * clipping per {@link Optimizer#clipping()} on a copy (the caller's tensors are not modified), then one update
     * with t = {@link #updates()} + 1.
     *
     * @param gradients same names and shapes as the model's parameters; not modified
     * @return the global norm of the gradients before clipping if the update was applied, and NaN if it was not (the
     *     norm, the gradients or an updated parameter was non-finite; nothing was applied). {@code Double.isNaN} of
     *     the result tells which
     * @throws IllegalArgumentException if the names or shapes differ from the parameters', naming the difference
     * @throws IllegalStateException    if the session is closed
     */
    double apply(Parameters gradients);

    /**
     * @return updates applied so far, counting those of a {@link #restore}d state
     * @throws IllegalStateException if the session is closed
     */
    long updates();

    /**
     * @return the factor f that scales the schedule's learning rate (1 until set)
     * @throws IllegalStateException if the session is closed
     */
    double learningRateFactor();

    /**
     * Scales the optimizer's scheduled learning rate by {@code factor} from the next update on (see the type's
     * description); it replaces the previous factor (it does not multiply it). Setting it is not an update.
     *
     * @param factor f, positive and finite
     * @throws IllegalArgumentException if it is not (see
     *     {@link io.github.recurra.api.optim.OptimizerState#checkLearningRateFactor})
     * @throws IllegalStateException    if the session is closed
     */
    void setLearningRateFactor(double factor);

    /**
     * @return a copy of the optimizer's slots, named {@code <slot>/<parameter>} (for example {@code m/layer0.W})
     * @throws IllegalStateException if the session is closed
     */
    Parameters slots();

    /**
     * Restores saved optimizer state, for example from a checkpoint; the parameters are the model's (set them
     * before opening the session).
     *
     * @param slots   as returned by {@link #slots()} of a session with the same optimizer and network
     * @param updates updates applied when they were saved, at least 0
     * @throws IllegalArgumentException if the slots' names or shapes differ from this session's, naming the difference
     * @throws IllegalStateException    if the session is closed
     */
    void restore(Parameters slots, long updates);

    /** Ends the session (the model keeps its parameters). Idempotent. */
    @Override
    void close();
}
