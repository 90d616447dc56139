/** Float32 tensors: a shape plus a row-major {@code float[]}. Depends on nothing else in Recurra. */
package io.github.recurra.api.tensor;
