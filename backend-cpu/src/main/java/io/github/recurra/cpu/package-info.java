/**
 * The reference CPU backend: pure Java, float32 matrices from EJML, forward passes and full backpropagation through
 * time for every cell of the API. Public entry points are {@link io.github.recurra.cpu.CpuBackendModule} (Guice) and
 * {@link io.github.recurra.cpu.CpuBackendProvider} (discovery by the name {@code cpu}); everything else is internal.
 * Depends on the API module, EJML and Guice; on no other backend.
 */
package io.github.recurra.cpu;
