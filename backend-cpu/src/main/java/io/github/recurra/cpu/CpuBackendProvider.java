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

    /**
     * @return a new CPU backend; close it when done, after its models, so that its worker threads can end
     */
    @Override
    public Backend create() {
        return new CpuBackend(CpuBackendModule.defaultThreads());
    }
}
