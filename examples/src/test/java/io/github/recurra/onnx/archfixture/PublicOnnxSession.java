package io.github.recurra.onnx.archfixture;

/** Violates: a public implementation class in a backend package. Fixture for ArchitectureRulesTest. */
public class PublicOnnxSession {
}
