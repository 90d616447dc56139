package io.github.recurra.examples.archfixture.injection;

import io.github.recurra.api.spi.Backend;
import jakarta.inject.Inject;

/** Compliant: constructor injection into a final field. */
class ConstructorInjection {
    private final Backend backend;

    @Inject
    ConstructorInjection(Backend backend) {
        this.backend = backend;
    }

    Backend backend() {
        return backend;
    }
}
