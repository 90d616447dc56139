package io.github.recurra.examples.archfixture;

import com.google.inject.Guice;
import io.github.recurra.api.spi.Backend;
import io.github.recurra.cpu.CpuBackendModule;

/**
 * The README's wiring in examples' main code. Fine for the backend rule; violates the Guice rule, which is as tight as
 * the real code allows and examples' main code has no Guice wiring today.
 */
final class ExamplesWiringWithGuice {
    Backend backend() {
        return Guice.createInjector(new CpuBackendModule()).getInstance(Backend.class);
    }
}
