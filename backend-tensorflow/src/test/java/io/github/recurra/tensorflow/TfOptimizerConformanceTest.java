package io.github.recurra.tensorflow;

import io.github.recurra.conformance.OptimizerConformance;

/** The conformance kit's Optimizer area on the TensorFlow backend. */
class TfOptimizerConformanceTest extends OptimizerConformance {
    TfOptimizerConformanceTest() {
        super(new TfUnderTest());
    }
}
