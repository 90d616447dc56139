package io.github.recurra.cpu.archfixture;

/** Violates: public, named like a provider, but not a {@code BackendProvider}; the name alone earns no exception. */
public final class LookalikeBackendProvider {
}
