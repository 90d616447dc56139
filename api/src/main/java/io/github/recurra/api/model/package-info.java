/**
 * Cells unrolled over time ({@link io.github.recurra.api.model.Sequence}) and networks: a stack of sequences plus an
 * optional {@link io.github.recurra.api.model.Head}. Immutable specs only; depends on {@code cell}.
 */
package io.github.recurra.api.model;
