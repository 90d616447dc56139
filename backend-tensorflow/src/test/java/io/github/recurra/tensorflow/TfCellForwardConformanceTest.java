package io.github.recurra.tensorflow;

import io.github.recurra.conformance.CellForwardConformance;

/** The conformance kit's CellForward area on the TensorFlow backend. */
class TfCellForwardConformanceTest extends CellForwardConformance {
    TfCellForwardConformanceTest() {
        super(new TfUnderTest());
    }
}
