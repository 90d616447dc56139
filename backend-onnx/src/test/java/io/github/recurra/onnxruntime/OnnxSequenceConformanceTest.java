package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.SequenceConformance;

/** The conformance kit's Sequence area on the ONNX Runtime backend. */
class OnnxSequenceConformanceTest extends SequenceConformance {
    OnnxSequenceConformanceTest() {
        super(new OnnxUnderTest());
    }
}
