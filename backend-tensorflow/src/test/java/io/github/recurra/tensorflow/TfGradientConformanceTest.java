package io.github.recurra.tensorflow;

import io.github.recurra.conformance.GradientConformance;

/** The conformance kit's Gradient area on the TensorFlow backend. */
class TfGradientConformanceTest extends GradientConformance {
    TfGradientConformanceTest() {
        super(new TfUnderTest());
    }
}
