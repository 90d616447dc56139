package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.BadInputConformance;

/** The conformance kit's BadInput area on the ONNX Runtime backend. */
class OnnxBadInputConformanceTest extends BadInputConformance {
    OnnxBadInputConformanceTest() {
        super(new OnnxUnderTest());
    }
}
