package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.GradientConformance;

/** The conformance kit's Gradient area on the ONNX Runtime backend (skipped: it does not train). */
class OnnxGradientConformanceTest extends GradientConformance {
    OnnxGradientConformanceTest() {
        super(new OnnxUnderTest());
    }
}
