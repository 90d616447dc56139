package io.github.recurra.tensorflow;

import io.github.recurra.conformance.PersistenceConformance;

/** The conformance kit's Persistence area on the TensorFlow backend. */
class TfPersistenceConformanceTest extends PersistenceConformance {
    TfPersistenceConformanceTest() {
        super(new TfUnderTest());
    }
}
