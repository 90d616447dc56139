package io.github.recurra.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the TensorFlow backend says it runs on. */
class TfDescribeTest {

    /**
     * The settings given, the native library's version (TensorFlow Java 1.1.0 bundles TensorFlow 2.18.0, see the parent
     * POM), and oneDNN on, as surefire's environment sets {@code TF_ENABLE_ONEDNN_OPTS=1}.
     */
    @Test
    void reportsVersionOneDnnThreadsRouteAndTraining() {
        try (Backend backend = new TensorFlowBackend(new TensorFlowBackendModule.Options(3, 1, false,
                TensorFlowBackendModule.Route.FUSED))) {
            assertEquals(new BackendDescription("tensorflow", Map.of("tensorflow.version", "2.18.0", "onednn", "on",
                    "threads", "3", "interop.threads", "1", "route", "fused", "native.training", "false")),
                    backend.describe());
        }
        try (Backend backend = new TensorFlowBackend(new TensorFlowBackendModule.Options(0, 0))) {
            BackendDescription d = backend.describe();
            assertEquals("0", d.properties().get(BackendDescription.THREADS));
            assertEquals("auto", d.properties().get(BackendDescription.ROUTE));
            assertEquals("true", d.properties().get(BackendDescription.NATIVE_TRAINING));
        }
    }
}
