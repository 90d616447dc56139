/**
 * Optimizers as immutable specs ({@link io.github.recurra.api.optim.Optimizer}) and their update rules
 * ({@link io.github.recurra.api.optim.OptimizerState}), implemented once in plain Java over the gradients a backend
 * returns, so every backend trains with exactly the same formulas. Depends on {@code tensor} and {@code param}.
 */
package io.github.recurra.api.optim;
