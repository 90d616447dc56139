package io.github.recurra.onnxruntime.archfixture;

/** Violates: a public implementation class in a backend package. Fixture for ArchitectureRulesTest. */
public class PublicOnnxSession {
}
