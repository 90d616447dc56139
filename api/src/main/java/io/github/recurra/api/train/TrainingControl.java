package io.github.recurra.api.train;

import io.github.recurra.api.model.Network;
import io.github.recurra.api.optim.Optimizer;
import io.github.recurra.api.param.Parameters;

/**
 * What a {@link TrainingListener} may do to the run it listens to: read where it is, stop it, read or replace the
 * model's parameters, and scale the learning rate. The {@link Trainer} gives one to each event; it is valid only
 * during the run (afterwards the methods that stop the run or read or change the model throw
 * {@link IllegalStateException}) and only on the training thread.
 * The ready-made callbacks ({@link EarlyStopping}, {@link BestModelCheckpoint}, {@link ReduceLearningRateOnPlateau},
 * {@link CsvLog}) use nothing else, so a test can drive them with a control of its own.
 */
public interface TrainingControl {

    /** @return the network being trained */
    Network network();

    /** @return the optimizer of the run */
    Optimizer optimizer();

    /** @return steps applied so far, counting the steps before a resumed run's checkpoint */
    long step();

    /** @return the steps the run takes if nothing stops it */
    long totalSteps();

    /** @return whether the trainer scores a validation set ({@link Trainer.Builder#validation}) */
    boolean validates();

    /**
     * Asks the run to stop after the current event (the other listeners still get it, and the end-of-run events
     * follow: see {@link TrainingListener}); {@link TrainingResult#stopReason()} then gives the reason, unless the
     * budget was used up anyway. The first reason asked for is kept.
     *
     * @param reason why, for people (for example {@code "early stopping: validation loss did not improve ..."});
     *               not blank
     * @throws IllegalArgumentException if the reason is null or blank
     */
    void requestStop(String reason);

    /** @return whether a stop was requested */
    boolean stopRequested();

    /**
     * @return a copy of the model's current parameters, after {@link #step()} updates (the caller may keep and
     *     modify it)
     */
    Parameters parameters();

    /**
     * Replaces the model's parameters at once: {@link #parameters()} returns them and the next step starts from them.
     * The optimizer's state (slots, update count, learning-rate factor) is kept, as a resumed run keeps it. The
     * trainer closes its training session, sets the parameters and opens a new session that restores the state, as
     * {@link io.github.recurra.api.spi.TrainingSession} prescribes.
     *
     * @param parameters the new values, names and shapes of the network's parameters (copied)
     * @throws IllegalArgumentException if they do not match the network, naming the difference
     */
    void setParameters(Parameters parameters);

    /** @return the factor that scales the optimizer's scheduled learning rate (1 unless changed) */
    double learningRateFactor();

    /**
     * Scales the optimizer's scheduled learning rate from the next update on:
     * η<sub>t</sub> = factor · {@code optimizer().schedule().rate(t)}
     * ({@link io.github.recurra.api.spi.TrainingSession#setLearningRateFactor}). The factor is saved in checkpoints,
     * so a resumed run continues with it.
     *
     * @param factor the new factor (it replaces the old one), positive and finite
     * @throws IllegalArgumentException if it is not
     */
    void setLearningRateFactor(double factor);

    /** @return what the run has recorded so far (a snapshot; see {@link TrainingResult#history()}) */
    TrainingHistory history();
}
