/**
 * Recurra's backend-agnostic API.
 *
 * <p>Sub-packages: {@code tensor} (float32 arrays with a shape), {@code cell} (immutable specs of one recurrent
 * time step), {@code model} (cells unrolled over time, stacked into networks with a head), {@code param} (named
 * parameters in the canonical ONNX layout and their seeded initialisers), {@code optim} (optimizer specs and their
 * update rules), {@code data} (datasets and batches), {@code spi} (what a backend implements) and {@code train} (the
 * backend-agnostic training loop).
 *
 * <p>This module depends on no numeric or native library; backends depend on it, never the other way round.
 */
package io.github.recurra.api;
