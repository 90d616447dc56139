package io.github.recurra.api.spi;

/**
 * Makes a backend discoverable by name through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.github.recurra.api.spi.BackendProvider}. Implementations need a public no-argument
 * constructor and must not do heavy work (such as loading native libraries) until {@link #create()}.
 */
public interface BackendProvider {

    /** @return the backend's name, as {@link Backend#name()} */
    String name();

    /** @return a new backend */
    Backend create();
}
