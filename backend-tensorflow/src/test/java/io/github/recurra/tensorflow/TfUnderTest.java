package io.github.recurra.tensorflow;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.conformance.BackendUnderTest;

/**
 * The TensorFlow backend for the conformance kit, with the default options (with the system property {@value #ROUTE}
 * set to {@code fused}, as the {@code conformance-fused} execution in the POM does, every eligible LSTM layer's forward
 * pass runs as {@code BlockLSTMV2}), and the standard tolerances.
 */
final class TfUnderTest implements BackendUnderTest {

    /** System property naming the route the kit runs with (the {@code conformance-fused} execution sets fused). */
    static final String ROUTE = "recurra.tf.test.route";

    @Override
    public Backend backend() {
        String route = System.getProperty(ROUTE, "auto").trim().toUpperCase(java.util.Locale.ROOT);
        return new TensorFlowBackend(TensorFlowBackendModule.Options.defaults()
                .withRoute(TensorFlowBackendModule.Route.valueOf(route)));
    }
}
