/**
 * What a backend implements: {@link io.github.recurra.api.spi.Backend} (name, capabilities, compiling a network),
 * {@link io.github.recurra.api.spi.Model} (an executable network), and discovery by name through
 * {@link java.util.ServiceLoader} ({@link io.github.recurra.api.spi.BackendProvider},
 * {@link io.github.recurra.api.spi.Backends}). Depends on {@code tensor}, {@code cell}, {@code model},
 * {@code param} and {@code data}.
 */
package io.github.recurra.api.spi;
