/**
 * What a backend implements: {@link io.github.recurra.api.spi.Backend} (name, capabilities, compiling a network, a
 * {@link io.github.recurra.api.spi.BackendDescription} of its kernels and threads),
 * {@link io.github.recurra.api.spi.Model} (an executable network), what a model opens (a
 * {@link io.github.recurra.api.spi.TrainingSession}, a {@link io.github.recurra.api.spi.Streaming}) with the host
 * implementations every backend can reuse ({@link io.github.recurra.api.spi.HostTrainingSession},
 * {@link io.github.recurra.api.spi.HostStreaming}), and discovery by name through
 * {@link java.util.ServiceLoader} ({@link io.github.recurra.api.spi.BackendProvider},
 * {@link io.github.recurra.api.spi.Backends}). Depends on {@code tensor}, {@code cell}, {@code model},
 * {@code param}, {@code optim} and {@code data}.
 */
package io.github.recurra.api.spi;
