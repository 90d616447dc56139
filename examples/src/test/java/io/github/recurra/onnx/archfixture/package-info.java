/**
 * Rule fixtures for {@code ArchitectureRulesTest} in the ONNX format module's package: a use of EJML and a public
 * class outside the module's API, each breaking a rule.
 */
package io.github.recurra.onnx.archfixture;
