package io.github.recurra.cpu.archfixture;

import io.github.recurra.onnx.OnnxNames;

/** Violates: the ONNX format module used by a backend other than the ONNX Runtime one. */
class CpuUsingOnnxFormat {
    String state() {
        return OnnxNames.initialH(0); // a call: a constant such as OnnxNames.INPUT is inlined, no dependency
    }
}
