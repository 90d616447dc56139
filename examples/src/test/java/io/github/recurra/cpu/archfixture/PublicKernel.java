package io.github.recurra.cpu.archfixture;

/** Violates: a public implementation class in a backend package. */
public final class PublicKernel {
}
