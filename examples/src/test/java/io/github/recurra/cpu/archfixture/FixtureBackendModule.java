package io.github.recurra.cpu.archfixture;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.github.recurra.api.spi.Backend;

/** Compliant: a backend's public Guice module. */
public final class FixtureBackendModule extends AbstractModule {
    @Provides
    Backend backend() {
        throw new UnsupportedOperationException("fixture");
    }
}
