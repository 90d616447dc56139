package io.github.recurra.tensorflow;

import io.github.recurra.conformance.BadInputConformance;

/** The conformance kit's BadInput area on the TensorFlow backend. */
class TfBadInputConformanceTest extends BadInputConformance {
    TfBadInputConformanceTest() {
        super(new TfUnderTest());
    }
}
