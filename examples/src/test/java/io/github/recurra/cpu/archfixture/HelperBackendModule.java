package io.github.recurra.cpu.archfixture;

import com.google.inject.Key;
import io.github.recurra.api.spi.Backend;

/** Violates the Guice rule: named like a backend module and uses Guice, but is no Guice module. */
final class HelperBackendModule {
    Key<Backend> key = Key.get(Backend.class);
}
