package io.github.recurra.api.spi;

import io.github.recurra.api.tensor.Tensor;

/**
 * The result of a forward pass.
 *
 * @param output      the last recurrent layer's output: {@code [batch, time, features]} if it returns sequences,
 *                    else {@code [batch, features]}
 * @param finalStates every layer's state after the last step
 * @param logits      the head's outputs before softmax ({@code [batch, outputs]}), or null without a head
 * @param predictions class probabilities (softmax of the logits) for a classifier head, or null
 */
public record Forward(Tensor output, States finalStates, Tensor logits, Tensor predictions) {
}
