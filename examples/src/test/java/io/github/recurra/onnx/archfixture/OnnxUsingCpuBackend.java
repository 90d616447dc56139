package io.github.recurra.onnx.archfixture;

import io.github.recurra.cpu.CpuBackendModule;

/** Violates: one backend (onnx) uses another (cpu). Fixture for ArchitectureRulesTest. */
class OnnxUsingCpuBackend {
    CpuBackendModule cpu = new CpuBackendModule(1);
}
