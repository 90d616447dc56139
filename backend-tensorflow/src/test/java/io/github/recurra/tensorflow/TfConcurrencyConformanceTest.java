package io.github.recurra.tensorflow;

import io.github.recurra.conformance.ConcurrencyConformance;

/** The conformance kit's concurrency area on the TensorFlow backend. */
class TfConcurrencyConformanceTest extends ConcurrencyConformance {
    TfConcurrencyConformanceTest() {
        super(new TfUnderTest());
    }
}
