package io.github.recurra.cpu;

import io.github.recurra.conformance.CapabilityConformance;

/** The conformance kit's Capability area on the CPU backend. */
class CpuCapabilityConformanceTest extends CapabilityConformance {
    CpuCapabilityConformanceTest() {
        super(new CpuUnderTest());
    }
}
