package io.github.recurra.api.spi;

import io.github.recurra.api.data.Batch;
import io.github.recurra.api.optim.Clipping;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.optim.OptimizerState;
import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;
import java.util.Objects;

/**
 * The {@link TrainingSession} that runs the update on the host, for any backend: it copies
 * {@link Model#parameters()} when opened and keeps that copy and an {@link OptimizerState}; each step asks the model
 * for {@link Model#lossAndGradients(Batch, States, long)}, computes the global norm, stages the update into a second
 * buffer ({@link OptimizerState#stage}), and only if everything is finite writes it with {@link Model#setParameters}
 * and commits the slots, so a refused update costs nothing to undo. The learning-rate factor is the state's
 * ({@link OptimizerState#setLearningRateFactor}). This is what {@link Model#openTraining} returns
 * unless a backend does better; a backend may also open one with an update rule of its own.
 *
 * <p>Because it keeps a copy, parameters set on the model from outside while it is open are overwritten by its next
 * update (see {@link TrainingSession}). Not thread-safe.
 */
public final class HostTrainingSession implements TrainingSession {
    private final Model model;
    private final OptimizerState state;
    private Parameters current;
    private Parameters scratch;
    private boolean closed;

    /**
     * Opens a session with the optimizer's own rule ({@link Optimizer#newState}).
     *
     * @param model     the model, on a backend with {@link Capability#TRAINING}
     * @param optimizer the optimizer
     */
    public HostTrainingSession(Model model, Optimizer optimizer) {
        this(model, Objects.requireNonNull(optimizer, "optimizer").newState(model.parameters()));
    }

    /**
     * Opens a session that updates with the given state's rule.
     *
     * @param model the model
     * @param state a state for the model's parameters (names and shapes), used and modified by this session only
     */
    public HostTrainingSession(Model model, OptimizerState state) {
        this.model = Objects.requireNonNull(model, "model");
        this.state = Objects.requireNonNull(state, "state");
        this.current = model.parameters();
        this.scratch = current.zerosLike();
    }

    @Override
    public Model model() {
        checkOpen();
        return model;
    }

    @Override
    public Optimizer optimizer() {
        checkOpen();
        return state.optimizer();
    }

    @Override
    public TrainingStep step(Batch batch, States initial, long seed) {
        checkOpen();
        LossAndGradients lg = model.lossAndGradients(batch, initial, seed);
        double norm = Clipping.globalNormOf(lg.gradients());
        boolean applied = Double.isFinite(lg.loss()) && Double.isFinite(norm) && update(lg.gradients());
        return new TrainingStep(lg.loss(), lg.logits(), norm, lg.finalStates(), applied);
    }

    @Override
    public double apply(Parameters gradients) {
        checkOpen();
        current.checkSameLayout(gradients, "the gradients");
        Parameters copy = gradients.copy();
        double norm = Clipping.globalNormOf(copy);
        return Double.isFinite(norm) && update(copy) ? norm : Double.NaN;
    }

    /** Stages the update, and applies and commits it if every updated value is finite. */
    private boolean update(Parameters gradients) {
        state.stage(current, gradients, scratch);
        for (Tensor t : scratch.asMap().values()) {
            if (t.firstNonFinite() >= 0) {
                return false;
            }
        }
        model.setParameters(scratch);
        state.commit();
        Parameters done = scratch;
        scratch = current;
        current = done;
        return true;
    }

    @Override
    public long updates() {
        checkOpen();
        return state.step();
    }

    @Override
    public double learningRateFactor() {
        checkOpen();
        return state.learningRateFactor();
    }

    @Override
    public void setLearningRateFactor(double factor) {
        checkOpen();
        state.setLearningRateFactor(factor);
    }

    @Override
    public Parameters slots() {
        checkOpen();
        return state.slots();
    }

    @Override
    public void restore(Parameters slots, long updates) {
        checkOpen();
        state.restore(slots, updates);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this training session is closed; open a new one with "
                    + "Model.openTraining (and restore its slots to continue)");
        }
    }
}
