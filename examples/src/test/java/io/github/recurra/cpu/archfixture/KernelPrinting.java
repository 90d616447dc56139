package io.github.recurra.cpu.archfixture;

/** Violates: a backend class that prints to standard output instead of logging. */
final class KernelPrinting {
    void report(double ms) {
        System.out.println("step took " + ms + " ms");
    }
}
