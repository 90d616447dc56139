package io.github.recurra.cpu;

import io.github.recurra.conformance.GradientConformance;

/** The conformance kit's Gradient area on the CPU backend. */
class CpuGradientConformanceTest extends GradientConformance {
    CpuGradientConformanceTest() {
        super(new CpuUnderTest());
    }
}
