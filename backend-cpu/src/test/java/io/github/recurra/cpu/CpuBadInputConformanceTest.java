package io.github.recurra.cpu;

import io.github.recurra.conformance.BadInputConformance;

/** The conformance kit's BadInput area on the CPU backend. */
class CpuBadInputConformanceTest extends BadInputConformance {
    CpuBadInputConformanceTest() {
        super(new CpuUnderTest());
    }
}
