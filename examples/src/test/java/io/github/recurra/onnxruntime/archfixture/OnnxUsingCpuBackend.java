package io.github.recurra.onnxruntime.archfixture;

import io.github.recurra.cpu.CpuBackendModule;

/** Violates: one backend (onnxruntime) uses another (cpu). Fixture for ArchitectureRulesTest. */
class OnnxUsingCpuBackend {
    CpuBackendModule cpu = new CpuBackendModule(1);
}
