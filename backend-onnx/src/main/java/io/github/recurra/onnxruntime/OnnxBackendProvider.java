package io.github.recurra.onnxruntime;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendProvider;

/**
 * Makes the ONNX Runtime backend discoverable by the name {@code onnx}
 * ({@link io.github.recurra.api.spi.Backends#named}), with {@link OnnxBackendModule.Options#fromSystemProperties()}.
 * Loads no native code until {@link #create()}.
 */
public final class OnnxBackendProvider implements BackendProvider {

    /** Creates the provider; cheap, and touches no ONNX Runtime class. */
    public OnnxBackendProvider() {
    }

    @Override
    public String name() {
        return OnnxBackend.NAME;
    }

    /**
     * @return a new ONNX Runtime backend (this loads ONNX Runtime's native library on first use); close it when done,
     *     after its models
     * @throws IllegalArgumentException if a {@code recurra.onnx.*} system property is invalid
     */
    @Override
    public Backend create() {
        return new OnnxBackend(OnnxBackendModule.Options.fromSystemProperties());
    }
}
