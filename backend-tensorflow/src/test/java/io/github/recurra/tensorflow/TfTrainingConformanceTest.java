package io.github.recurra.tensorflow;

import io.github.recurra.conformance.TrainingConformance;

/** The conformance kit's Training area on the TensorFlow backend. */
class TfTrainingConformanceTest extends TrainingConformance {
    TfTrainingConformanceTest() {
        super(new TfUnderTest());
    }
}
