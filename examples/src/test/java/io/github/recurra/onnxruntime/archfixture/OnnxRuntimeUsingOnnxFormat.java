package io.github.recurra.onnxruntime.archfixture;

import io.github.recurra.onnx.OnnxNames;

/** Compliant: the ONNX Runtime backend uses the ONNX format module (its exporter, its names). */
class OnnxRuntimeUsingOnnxFormat {
    String state() {
        return OnnxNames.initialH(0); // a call: a constant such as OnnxNames.INPUT is inlined, no dependency
    }
}
