/**
 * The {@code recurra} command-line tool: the TensorFlow LSTM tutorial on real MNIST ({@code recurra mnist}), other
 * demos ({@code recurra task}), training on a CSV time series or a text ({@code recurra train}), scoring a saved model
 * ({@code recurra evaluate}), a model's summary ({@code recurra info}), the reference-workload benchmark
 * ({@code recurra bench}), ONNX export of a model file ({@code recurra export}) and inference on NumPy {@code .npy}
 * files ({@code recurra predict}); the training commands' charts are drawn by the {@code plot} package. May depend on
 * every module; picks backends by name only.
 */
package io.github.recurra.examples;
