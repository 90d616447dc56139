/**
 * The {@code recurra} command-line tool: the TensorFlow LSTM tutorial on real MNIST ({@code recurra mnist}) and the
 * reference-workload benchmark ({@code recurra bench}). May depend on every module.
 */
package io.github.recurra.examples;
