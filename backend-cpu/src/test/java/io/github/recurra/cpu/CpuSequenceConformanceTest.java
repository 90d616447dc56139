package io.github.recurra.cpu;

import io.github.recurra.conformance.SequenceConformance;

/** The conformance kit's Sequence area on the CPU backend. */
class CpuSequenceConformanceTest extends SequenceConformance {
    CpuSequenceConformanceTest() {
        super(new CpuUnderTest());
    }
}
