package io.github.recurra.onnx.archfixture;

/** Violates: a public class in the ONNX format module that is not one of its four API classes. */
public class PublicOnnxHelper {
}
