package io.github.recurra.tensorflow;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.conformance.BackendUnderTest;

/** The TensorFlow backend for the conformance kit, with the default options and the standard tolerances. */
final class TfUnderTest implements BackendUnderTest {

    @Override
    public Backend backend() {
        return new TensorFlowBackend(TensorFlowBackendModule.Options.defaults());
    }
}
