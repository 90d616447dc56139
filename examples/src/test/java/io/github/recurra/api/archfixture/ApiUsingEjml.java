package io.github.recurra.api.archfixture;

import org.ejml.data.FMatrixRMaj;

/** Violates: api uses EJML. */
class ApiUsingEjml {
    FMatrixRMaj weights = new FMatrixRMaj(2, 2);
}
