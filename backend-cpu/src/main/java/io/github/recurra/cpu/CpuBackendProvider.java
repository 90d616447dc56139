package io.github.recurra.cpu;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendProvider;

/**
 * Makes the CPU backend discoverable by the name {@code cpu} ({@link io.github.recurra.api.spi.Backends#named}).
 * Uses all available processors unless the system property {@code recurra.cpu.threads} says otherwise.
 */
public final class CpuBackendProvider implements BackendProvider {

    /** Creates the provider; cheap. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return CpuBackend.NAME;
    }

    @Override
    public Backend create() {
        return new CpuBackend(CpuBackendModule.defaultThreads());
    }
}
