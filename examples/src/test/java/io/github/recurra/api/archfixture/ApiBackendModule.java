package io.github.recurra.api.archfixture;

import com.google.inject.AbstractModule;

/** Violates the Guice rule: a Guice module named like a backend's, but outside every backend package. */
class ApiBackendModule extends AbstractModule {
}
