package io.github.recurra.api.spi;

import io.github.recurra.api.param.Parameters;
import io.github.recurra.api.tensor.Tensor;

/**
 * The loss of a batch and its gradients.
 *
 * @param loss                  the mean loss over the batch (over valid steps for per-step heads)
 * @param logits                the head's outputs: {@code [batch, outputs]} for a last-step head,
 *                              {@code [batch, time, outputs]} for a per-step head
 * @param gradients             dLoss/dθ with the canonical names and shapes
 * @param finalStates           every layer's state after the last step (to carry into the next window)
 * @param initialStateGradients dLoss/d(initial state), one entry per layer, shapes {@code [dirs, batch, hidden]}
 *                              (cell entries null for layers without a cell state)
 */
public record LossAndGradients(double loss, Tensor logits, Parameters gradients, States finalStates,
        States initialStateGradients) {
}
