package io.github.recurra.cpu;

import io.github.recurra.api.spi.Backend;
import io.github.recurra.api.spi.Backends;
import io.github.recurra.api.spi.Model;
import io.github.recurra.api.tensor.Tensor;

/**
 * The program {@link ScalarKernelsWarningTest} runs in a JVM of its own, without the Vector API module and with
 * {@link RecordingProvider} as SLF4J's provider: opens three CPU backends one after another, runs a model on each, and
 * prints one {@code DESCRIBE} line per backend, then one {@code EVENT} line per log event at INFO or above.
 */
final class ScalarKernelsProbe {
    private ScalarKernelsProbe() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < 3; i++) {
            try (Backend backend = Backends.named("cpu");
                    Model model = backend.compile(CpuBackendLifecycleTest.NET, CpuBackendLifecycleTest.PARAMS)) {
                Tensor logits = model.forward(CpuBackendLifecycleTest.SMALL.inputs()).logits();
                if (!Float.isFinite(logits.data()[0])) {
                    throw new IllegalStateException("the scalar kernels computed " + logits.data()[0]);
                }
                System.out.println("DESCRIBE " + backend.describe());
            }
        }
        RecordingProvider.events().forEach(e -> System.out.println("EVENT " + e));
    }
}
