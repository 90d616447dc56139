package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.OptimizerConformance;

/** The conformance kit's Optimizer area on the ONNX Runtime backend. */
class OnnxOptimizerConformanceTest extends OptimizerConformance {
    OnnxOptimizerConformanceTest() {
        super(new OnnxUnderTest());
    }
}
