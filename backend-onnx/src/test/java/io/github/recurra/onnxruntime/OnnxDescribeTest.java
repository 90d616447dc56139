package io.github.recurra.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.BackendDescription;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the ONNX Runtime backend says it runs on. */
class OnnxDescribeTest {

    /** The settings given and ONNX Runtime's version, 1.28.0 as the parent POM pins it. */
    @Test
    void reportsVersionThreadsOptimisationAndUnrolling() {
        try (Backend backend = new OnnxBackend(new OnnxBackendModule.Options(3, 2,
                OnnxBackendModule.Optimization.BASIC, false))) {
            assertEquals(new BackendDescription("onnx", Map.of("onnxruntime.version", "1.28.0", "threads", "3",
                    "interop.threads", "2", "optimization", "basic", "unrolled", "false")), backend.describe());
        }
        try (Backend backend = new OnnxBackend(OnnxBackendModule.Options.defaults())) {
            BackendDescription d = backend.describe();
            assertEquals("all", d.properties().get(BackendDescription.OPTIMIZATION));
            assertEquals("true", d.properties().get(BackendDescription.UNROLLED));
            assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()),
                    d.properties().get(BackendDescription.THREADS));
        }
    }
}
