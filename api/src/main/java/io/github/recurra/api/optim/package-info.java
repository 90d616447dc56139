/**
 * Optimizers as immutable specs with value equality (the sealed {@link io.github.recurra.api.optim.Optimizer}
 * family, {@link io.github.recurra.api.optim.LearningRateSchedule} records and
 * {@link io.github.recurra.api.optim.Clipping}), their text form ({@link io.github.recurra.api.optim.OptimizerText},
 * which checkpoints store), and their update rules ({@link io.github.recurra.api.optim.OptimizerState}), implemented
 * once in plain Java over the gradients a backend returns; a training session runs them on the host, or a backend
 * runs the same rules natively. Depends on {@code tensor} and {@code param}.
 */
package io.github.recurra.api.optim;
