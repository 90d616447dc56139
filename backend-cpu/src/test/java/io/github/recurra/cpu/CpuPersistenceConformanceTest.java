package io.github.recurra.cpu;

import io.github.recurra.conformance.PersistenceConformance;

/** The conformance kit's Persistence area on the CPU backend. */
class CpuPersistenceConformanceTest extends PersistenceConformance {
    CpuPersistenceConformanceTest() {
        super(new CpuUnderTest());
    }
}
