package io.github.recurra.cpu;

import io.github.recurra.conformance.CellForwardConformance;

/** The conformance kit's CellForward area on the CPU backend. */
class CpuCellForwardConformanceTest extends CellForwardConformance {
    CpuCellForwardConformanceTest() {
        super(new CpuUnderTest());
    }
}
