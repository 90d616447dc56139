/**
 * Immutable specs of one recurrent time step: {@link io.github.recurra.api.cell.RnnCell},
 * {@link io.github.recurra.api.cell.LstmCell} and {@link io.github.recurra.api.cell.GruCell}, with the
 * activation functions of the ONNX recurrent operators. A cell holds configuration only; backends compute it.
 * Depends on nothing else in Recurra.
 */
package io.github.recurra.api.cell;
