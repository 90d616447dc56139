package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.ConcurrencyConformance;

/** The conformance kit's concurrency area on the ONNX Runtime backend. */
class OnnxConcurrencyConformanceTest extends ConcurrencyConformance {
    OnnxConcurrencyConformanceTest() {
        super(new OnnxUnderTest());
    }
}
