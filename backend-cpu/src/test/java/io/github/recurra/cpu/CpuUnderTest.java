package io.github.recurra.cpu;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.conformance.BackendUnderTest;

/** The CPU backend as the conformance kit runs it: two worker threads, so that shards run in parallel. */
final class CpuUnderTest implements BackendUnderTest {

    @Override
    public Backend backend() {
        return new CpuBackend(2);
    }
}
