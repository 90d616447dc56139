package io.github.recurra.api.spi;

import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;

/**
 * The loss of a batch and its gradients with respect to every parameter.
 *
 * @param loss      the mean loss over the batch
 * @param logits    the head's outputs for the batch, {@code [batch, outputs]}
 * @param gradients dLoss/dθ with the canonical names and shapes
 */
public record LossAndGradients(double loss, Tensor logits, Parameters gradients) {
}
