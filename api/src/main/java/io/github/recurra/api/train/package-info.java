/**
 * The backend-agnostic training loop ({@link io.github.recurra.api.train.Trainer}): budgets, seeded shuffling,
 * optimizer updates, metrics, listeners, evaluation, and a clear stop on a non-finite loss. Depends on {@code spi},
 * {@code optim}, {@code data}, {@code param} and {@code tensor}.
 */
package io.github.recurra.api.train;
