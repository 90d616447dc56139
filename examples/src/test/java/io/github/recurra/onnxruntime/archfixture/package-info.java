/**
 * Rule fixtures for {@code ArchitectureRulesTest} in the ONNX Runtime backend's package: a Guice module carrying its
 * options as public nested types (allowed), a public nested type outside a module, a public implementation class and
 * a use of another backend (each breaking a rule), and a compliant use of the ONNX format module.
 */
package io.github.recurra.onnxruntime.archfixture;
