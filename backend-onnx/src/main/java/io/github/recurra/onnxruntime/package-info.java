/**
 * The ONNX Runtime backend (inference). Public entry points are {@link io.github.recurra.onnxruntime.OnnxBackendModule}
 * (Guice, with its options) and {@link io.github.recurra.onnxruntime.OnnxBackendProvider} (discovery by the name
 * {@code onnx}); everything else is internal. Depends on the API module, the ONNX format module (its exporter writes
 * the standard graph), ONNX Runtime and Guice; on no other backend.
 */
package io.github.recurra.onnxruntime;
