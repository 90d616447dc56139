/**
 * Named float32 parameters in the one canonical layout (the ONNX operator layout and gate order), and the seeded
 * initialisers that give every backend the same starting weights. Depends on {@code tensor}, {@code cell} and
 * {@code model}.
 */
package io.github.recurra.api.param;
