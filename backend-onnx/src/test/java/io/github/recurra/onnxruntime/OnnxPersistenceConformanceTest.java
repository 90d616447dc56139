package io.github.recurra.onnxruntime;

import io.github.recurra.conformance.PersistenceConformance;

/** The conformance kit's Persistence area on the ONNX Runtime backend. */
class OnnxPersistenceConformanceTest extends PersistenceConformance {
    OnnxPersistenceConformanceTest() {
        super(new OnnxUnderTest());
    }
}
