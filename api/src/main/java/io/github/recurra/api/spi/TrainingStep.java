package io.github.recurra.api.spi;

import io.github.recurra.api.tensor.Tensor;

/**
 * What one {@link TrainingSession#step} did.
 *
 * @param loss         the mean loss of the batch before the update (over valid steps for per-step heads)
 * @param logits       the head's outputs before the update: {@code [batch, outputs]} for a last-step head,
 *                     {@code [batch, time, outputs]} for a per-step head
 * @param gradientNorm the global norm of the gradients before clipping (√Σg² over every parameter)
 * @param finalStates  every layer's state after the batch's last step (to carry into the next window)
 * @param applied      whether the update was applied; false when the loss, the gradient norm or an updated parameter
 *                     was NaN or infinite, in which case the parameters, the optimizer's slots and the update count
 *                     are as they were before the step
 */
public record TrainingStep(double loss, Tensor logits, double gradientNorm, States finalStates, boolean applied) {
}
