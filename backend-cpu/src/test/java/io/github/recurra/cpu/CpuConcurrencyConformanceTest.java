package io.github.recurra.cpu;

import io.github.recurra.conformance.ConcurrencyConformance;

/** The conformance kit's concurrency area on the CPU backend. */
class CpuConcurrencyConformanceTest extends ConcurrencyConformance {
    CpuConcurrencyConformanceTest() {
        super(new CpuUnderTest());
    }
}
