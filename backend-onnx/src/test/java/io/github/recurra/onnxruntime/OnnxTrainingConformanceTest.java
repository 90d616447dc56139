package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.TrainingConformance;

/**
 * The conformance kit's Training area on the ONNX Runtime backend (only the initial-parameter checks run: it does not
 * train).
 */
class OnnxTrainingConformanceTest extends TrainingConformance {
    OnnxTrainingConformanceTest() {
        super(new OnnxUnderTest());
    }
}
