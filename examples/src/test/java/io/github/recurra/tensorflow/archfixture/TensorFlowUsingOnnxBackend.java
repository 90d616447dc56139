package io.github.recurra.tensorflow.archfixture;

import io.github.recurra.onnxruntime.archfixture.PublicOnnxSession;

/** Violates: one backend (tensorflow) uses another (onnx). Fixture for ArchitectureRulesTest. */
class TensorFlowUsingOnnxBackend {
    PublicOnnxSession session = new PublicOnnxSession();
}
