package io.github.recurra.onnx.archfixture;

import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.data.FMatrixRMaj;

/** Violates: EJML outside the CPU backend. Fixture for ArchitectureRulesTest. */
class OnnxUsingEjml {
    void scale(FMatrixRMaj m) {
        CommonOps_FDRM.scale(2f, m);
    }
}
