package io.github.recurra.api.archfixture;

import io.github.recurra.api.spi.BackendProvider;
import io.github.recurra.cpu.CpuBackendProvider;

/** Violates: api uses a backend. */
class ApiUsingCpuBackend {
    BackendProvider cpu = new CpuBackendProvider();
}
