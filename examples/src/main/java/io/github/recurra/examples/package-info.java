/**
 * The {@code recurra} command-line tool: the TensorFlow LSTM tutorial on real MNIST ({@code recurra mnist}), other
 * demos ({@code recurra task}), the reference-workload benchmark ({@code recurra bench}), ONNX export of a model file
 * ({@code recurra export}) and inference on NumPy {@code .npy} files ({@code recurra predict}). May depend on every
 * module; picks backends by name only.
 */
package io.github.recurra.examples;
