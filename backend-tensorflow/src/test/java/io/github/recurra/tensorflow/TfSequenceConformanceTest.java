package io.github.recurra.tensorflow;

import io.github.recurra.conformance.SequenceConformance;

/** The conformance kit's Sequence area on the TensorFlow backend. */
class TfSequenceConformanceTest extends SequenceConformance {
    TfSequenceConformanceTest() {
        super(new TfUnderTest());
    }
}
