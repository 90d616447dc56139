package io.github.recurra.examples.archfixture.injection;

import io.github.recurra.api.spi.Backend;
import jakarta.inject.Inject;

/** Violates: field injection with the JSR-330 (jakarta) annotation. */
class JakartaFieldInjection {
    @Inject
    Backend backend;
}
