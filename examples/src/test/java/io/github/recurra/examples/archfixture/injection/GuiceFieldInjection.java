package io.github.recurra.examples.archfixture.injection;

import com.google.inject.Inject;
import io.github.recurra.api.spi.Backend;

/** Violates: field injection with Guice's own annotation. */
class GuiceFieldInjection {
    @Inject
    Backend backend;
}
