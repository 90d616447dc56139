/**
 * The ONNX file format for Recurra networks, without a runtime: {@link io.github.recurra.onnx.OnnxFormat} exports a
 * network and its parameters as a standard ONNX model (one {@code LSTM}, {@code GRU} or {@code RNN} operator per
 * layer, the head as {@code Gemm} or {@code MatMul}, a {@code Softmax} for classifiers) and imports such models,
 * ours and those written by PyTorch's exporter, back into a network spec and parameters that any backend can run
 * or train. Every file is validated before anything is allocated from its declared sizes.
 *
 * <p>Depends on the API module and the ONNX protobuf classes ({@code ai.onnx.proto.OnnxMl} of
 * {@code tribuo-util-onnx}); never on ONNX Runtime or a backend.
 */
package io.github.recurra.onnx;
