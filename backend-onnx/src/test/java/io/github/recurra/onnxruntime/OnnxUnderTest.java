package io.github.recurra.onnxruntime;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.conformance.BackendUnderTest;

/**
 * The ONNX Runtime backend for the conformance kit, with the default options. With the system property
 * {@value #EVERYWHERE} set to true (the {@code conformance-unrolled} execution in the POM), unrolled graphs run
 * wherever they apply, in shards from two rows ({@link Routing#EVERYWHERE}), so that the kit's small batches check
 * them too.
 */
final class OnnxUnderTest implements BackendUnderTest {
    static final String EVERYWHERE = "recurra.onnx.test.unrollEverywhere";

    @Override
    public Backend backend() {
        OnnxBackendModule.Options options = OnnxBackendModule.Options.defaults().withIntraOpThreads(2);
        return new OnnxBackend(options, Boolean.getBoolean(EVERYWHERE) ? Routing.EVERYWHERE : Routing.MEASURED);
    }
}
