package io.github.recurra.api.train;

/**
 * What one training step did.
 *
 * @param step         1-based step number
 * @param totalSteps   steps the run will take
 * @param examples     training examples consumed so far, this step included
 * @param epoch        1-based pass over the training set this step belongs to
 * @param loss         the minibatch's mean loss before the update
 * @param accuracy     the minibatch's accuracy before the update
 * @param gradientNorm the global gradient norm before clipping
 * @param nanos        wall time of the step (gradients and update)
 */
public record StepReport(long step, long totalSteps, long examples, int epoch, double loss, double accuracy,
        double gradientNorm, long nanos) {
}
