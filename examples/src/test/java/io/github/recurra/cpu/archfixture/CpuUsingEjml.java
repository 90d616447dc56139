package io.github.recurra.cpu.archfixture;

import org.ejml.data.FMatrixRMaj;

/** Compliant: a package-private CPU-backend class using EJML. */
final class CpuUsingEjml {
    FMatrixRMaj weights = new FMatrixRMaj(2, 2);
}
