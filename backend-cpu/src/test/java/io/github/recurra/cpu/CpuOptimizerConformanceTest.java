package io.github.recurra.cpu;

import io.github.recurra.conformance.OptimizerConformance;

/** The conformance kit's Optimizer area on the CPU backend. */
class CpuOptimizerConformanceTest extends OptimizerConformance {
    CpuOptimizerConformanceTest() {
        super(new CpuUnderTest());
    }
}
