package io.github.recurra.onnxruntime;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.conformance.BackendUnderTest;

/** The ONNX Runtime backend for the conformance kit, with the default options (unrolled graphs where they apply). */
final class OnnxUnderTest implements BackendUnderTest {
    @Override
    public Backend backend() {
        return new OnnxBackend(OnnxBackendModule.Options.defaults());
    }
}
