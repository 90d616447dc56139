package io.github.recurra.conformance.archfixture;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.cpu.CpuBackendProvider;

/** Violates: conformance uses a backend (it must test backends through api only). Fixture for ArchitectureRulesTest. */
class ConformanceUsingCpuBackend {
    Backend backend() {
        return new CpuBackendProvider().create();
    }
}
