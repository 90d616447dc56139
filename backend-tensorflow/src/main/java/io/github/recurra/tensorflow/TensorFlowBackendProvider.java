package io.github.recurra.tensorflow;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendProvider;

/**
 * Makes the TensorFlow backend discoverable by the name {@code tensorflow}
 * ({@link io.github.recurra.api.spi.Backends#named}), with {@link TensorFlowBackendModule.Options#fromSystemProperties()}.
 * Cheap: TensorFlow's native library loads when the first model is compiled.
 */
public final class TensorFlowBackendProvider implements BackendProvider {

    /** Creates the provider; cheap. */
    public TensorFlowBackendProvider() {
    }

    @Override
    public String name() {
        return TensorFlowBackend.NAME;
    }

    /** @return a new TensorFlow backend; close it when done, after its models */
    @Override
    public Backend create() {
        return new TensorFlowBackend(TensorFlowBackendModule.Options.fromSystemProperties());
    }
}
