package io.github.recurra.cpu.archfixture;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendProvider;

/** Compliant: a backend's public ServiceLoader provider. */
public final class FixtureBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "fixture";
    }

    @Override
    public Backend create() {
        throw new UnsupportedOperationException("fixture");
    }
}
