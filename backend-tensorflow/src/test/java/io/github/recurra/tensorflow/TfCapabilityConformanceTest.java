package io.github.recurra.tensorflow;

import io.github.recurra.conformance.CapabilityConformance;

/** The conformance kit's Capability area on the TensorFlow backend. */
class TfCapabilityConformanceTest extends CapabilityConformance {
    TfCapabilityConformanceTest() {
        super(new TfUnderTest());
    }
}
