package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.CellForwardConformance;

/** The conformance kit's CellForward area on the ONNX Runtime backend. */
class OnnxCellForwardConformanceTest extends CellForwardConformance {
    OnnxCellForwardConformanceTest() {
        super(new OnnxUnderTest());
    }
}
