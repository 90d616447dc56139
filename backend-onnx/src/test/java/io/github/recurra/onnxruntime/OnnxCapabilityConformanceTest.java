package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.CapabilityConformance;

/** The conformance kit's Capability area on the ONNX Runtime backend. */
class OnnxCapabilityConformanceTest extends CapabilityConformance {
    OnnxCapabilityConformanceTest() {
        super(new OnnxUnderTest());
    }
}
