/**
 * The ONNX Runtime backend (inference and deployment).
 */
package io.github.recurra.onnxruntime;
