package io.github.recurra.examples.archfixture;

/** Compliant: the CLI (examples) may print. */
final class ExamplesPrinting {
    void report(double ms) {
        System.out.println("MACHINE ... " + ms);
        System.err.println("progress");
    }
}
