package io.github.recurra.examples.archfixture;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.cpu.CpuBackendProvider;

/** Compliant with the backend rule: examples (the application) may pick a backend. */
final class ExamplesPickingCpuBackend {
    Backend backend() {
        return new CpuBackendProvider().create();
    }
}
