/**
 * The backend-agnostic training loop ({@link io.github.recurra.api.train.Trainer}): budgets, seeded shuffling, steps
 * through the model's {@link io.github.recurra.api.spi.TrainingSession}, truncated BPTT
 * ({@link io.github.recurra.api.train.TruncatedBptt}), checkpoints ({@link io.github.recurra.api.train.Checkpoint}),
 * metrics, listeners, evaluation, and a clear stop on a non-finite loss. Depends on {@code spi}, {@code optim},
 * {@code io}, {@code model}, {@code data}, {@code param} and {@code tensor}.
 */
package io.github.recurra.api.train;
