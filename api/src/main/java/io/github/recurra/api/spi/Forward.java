package io.github.recurra.api.spi;

import io.github.recurra.api.tensor.Tensor;

/**
 * The result of a forward pass.
 *
 * @param output      the last recurrent layer's output: {@code [batch, time, features]} if it returns sequences
 *                    (zero at steps past an example's length), else {@code [batch, features]}
 * @param finalStates every layer's state after each example's last step
 * @param logits      the head's outputs ({@code [batch, outputs]} or, per step, {@code [batch, time, outputs]}), or
 *                    null without a head; at steps past an example's length the head sees a zero output, so there
 *                    they equal the head's bias (losses and metrics ignore them)
 * @param predictions class probabilities (softmax of the logits) for a classifier head, the outputs themselves for a
 *                    regression head, or null without a head
 */
public record Forward(Tensor output, States finalStates, Tensor logits, Tensor predictions) {
}
