package io.github.recurra.cpu;

import io.github.recurra.conformance.TrainingConformance;

/** The conformance kit's Training area on the CPU backend. */
class CpuTrainingConformanceTest extends TrainingConformance {
    CpuTrainingConformanceTest() {
        super(new CpuUnderTest());
    }
}
